#include "admin/admin_context.h"

#include <iostream>

#include "db/sqlite_server_store.h"
#include "service/data_dir.h"

namespace opcat::server::admin {
namespace {

constexpr OptionSpec kDataOption{"--data", OptionSpec::Kind::kValue, true};

Status argError(std::string message) {
  return Status::error(StatusCode::kInvalidArgument, std::move(message));
}

}  // namespace

Result<AdminArgs> AdminArgs::parse(std::span<const std::string> args,
                                   std::span<const OptionSpec> spec, bool takesPositionals) {
  auto find = [&](std::string_view name) -> const OptionSpec* {
    if (name == kDataOption.name) return &kDataOption;
    for (const OptionSpec& option : spec) {
      if (option.name == name) return &option;
    }
    return nullptr;
  };
  AdminArgs result;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string_view arg = args[i];
    if (!arg.starts_with("--")) {
      if (!takesPositionals) return argError("unexpected argument '" + std::string(arg) + "'");
      result.m_positionals.emplace_back(arg);
      continue;
    }
    std::string_view name = arg;
    std::optional<std::string> inlineValue;
    if (const std::size_t equals = arg.find('='); equals != std::string_view::npos) {
      name = arg.substr(0, equals);
      inlineValue = std::string(arg.substr(equals + 1));
    }
    const OptionSpec* option = find(name);
    if (option == nullptr) return argError("unknown option '" + std::string(name) + "'");
    auto& slot = result.m_values[std::string(name)];
    if (option->kind == OptionSpec::Kind::kFlag) {
      if (inlineValue) return argError(std::string(name) + " takes no value");
      if (!slot.empty()) return argError(std::string(name) + " given twice");
      slot.emplace_back();
      continue;
    }
    std::string value;
    if (inlineValue) {
      value = std::move(*inlineValue);
    } else if (i + 1 < args.size()) {
      value = args[++i];
    } else {
      return argError(std::string(name) + " needs a value");
    }
    if (option->kind == OptionSpec::Kind::kValue && !slot.empty()) {
      return argError(std::string(name) + " given twice");
    }
    slot.push_back(std::move(value));
  }
  if (result.m_values.find(kDataOption.name) == result.m_values.end()) {
    return argError("missing --data");
  }
  for (const OptionSpec& option : spec) {
    if (option.required && result.m_values.find(option.name) == result.m_values.end()) {
      return argError("missing " + std::string(option.name));
    }
  }
  result.m_dataDir = result.m_values.find(kDataOption.name)->second.front();
  if (result.m_dataDir.empty()) return argError("--data needs a folder");
  return result;
}

std::optional<std::string> AdminArgs::value(std::string_view name) const {
  const auto it = m_values.find(name);
  if (it == m_values.end() || it->second.empty()) return std::nullopt;
  return it->second.front();
}

std::vector<std::string> AdminArgs::values(std::string_view name) const {
  const auto it = m_values.find(name);
  return it == m_values.end() ? std::vector<std::string>() : it->second;
}

AdminContext::AdminContext(const AdminCommand& command, std::string dataDir, std::istream& in,
                           std::ostream& out, std::ostream& err, Clock nowMs)
    : m_command(command),
      m_dataDir(std::move(dataDir)),
      m_in(in),
      m_out(out),
      m_err(err),
      m_nowMs(nowMs) {}

AdminContext::~AdminContext() = default;

db::ServerStore* AdminContext::store() {
  if (m_store) return m_store.get();
  if (Status folder = prepareDataFolder(m_dataDir); !folder) {
    // A wrong folder is a usage error, as for `serve`.
    m_openFailureExit = folder.code() == StatusCode::kInvalidArgument ? kExitUsage : kExitRefused;
    refuse(folder.message());
    return nullptr;
  }
  auto opened = db::openSqliteServerStore(m_dataDir);
  if (!opened) {
    m_openFailureExit = kExitRefused;
    refuse("cannot open the store in " + m_dataDir + ": " + opened.status().message());
    return nullptr;
  }
  m_store = std::move(opened).value();
  return m_store.get();
}

int AdminContext::usageError(std::string_view message) {
  m_err << "opcat-server admin: " << m_command.name << ": " << message << "\n"
        << usageLine() << std::endl;
  return kExitUsage;
}

int AdminContext::refuse(std::string_view message) {
  m_err << "opcat-server admin: " << message << std::endl;
  return kExitRefused;
}

std::string AdminContext::usageLine() const { return "usage: " + commandUsageLine(m_command); }

std::string commandUsageLine(const AdminCommand& command) {
  // Built with += : GCC 12 at -O3 reports a false -Wrestrict on "literal" + std::string.
  std::string line = "opcat-server admin ";
  line += command.name;
  line += " --data DIR";
  if (!command.usage.empty()) line += " " + std::string(command.usage);
  return line;
}

}  // namespace opcat::server::admin
