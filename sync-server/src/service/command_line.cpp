#include "service/command_line.h"

namespace opcat::server {
namespace {

// Flags of `serve` that take a value, and the config key each sets.
struct ValueFlag {
  std::string_view flag;
  std::string_view key;
};
constexpr ValueFlag kValueFlags[] = {
    {"--listen", "listen"},
    {"--data", "data"},
    {"--tls-cert", "tls_cert"},
    {"--tls-key", "tls_key"},
};

CommandLine error(std::string message) {
  CommandLine result;
  result.kind = CommandLine::Kind::kError;
  result.error = std::move(message);
  return result;
}

CommandLine parseServe(const std::vector<std::string>& args) {
  CommandLine result;
  result.kind = CommandLine::Kind::kServe;
  for (std::size_t i = 1; i < args.size(); ++i) {
    std::string_view arg = args[i];
    if (arg == "--help" || arg == "-h") {
      result.kind = CommandLine::Kind::kServeHelp;
      return result;
    }
    if (arg == "--insecure-http") {
      result.settings.emplace_back("insecure_http", "true");
      continue;
    }
    std::string_view name = arg;
    std::string value;
    bool hasValue = false;
    if (const std::size_t equals = arg.find('=');
        arg.starts_with("--") && equals != std::string_view::npos) {
      name = arg.substr(0, equals);
      value = std::string(arg.substr(equals + 1));
      hasValue = true;
    }
    const bool isConfig = name == "--config";
    const ValueFlag* flag = nullptr;
    for (const ValueFlag& candidate : kValueFlags) {
      if (candidate.flag == name) flag = &candidate;
    }
    if (!isConfig && flag == nullptr) return error("unknown option '" + std::string(name) + "'");
    if (!hasValue) {
      if (i + 1 >= args.size()) return error("option " + std::string(name) + " needs a value");
      value = args[++i];
    }
    if (isConfig) {
      result.configFile = value;
    } else {
      result.settings.emplace_back(std::string(flag->key), value);
    }
  }
  return result;
}

}  // namespace

CommandLine parseCommandLine(const std::vector<std::string>& args) {
  if (args.empty()) return error("no command given");
  const std::string& command = args.front();
  if (command == "--help" || command == "-h" || command == "help") {
    CommandLine result;
    result.kind = CommandLine::Kind::kHelp;
    return result;
  }
  if (command == "serve") return parseServe(args);
  if (command == "admin") {
    CommandLine result;
    result.kind = CommandLine::Kind::kAdmin;
    result.adminArgs.assign(args.begin() + 1, args.end());
    return result;
  }
  return error("unknown command '" + command + "'");
}

Result<ServerConfig> buildServeConfig(const CommandLine& commandLine) {
  ServerConfig config;
  if (!commandLine.configFile.empty()) {
    OPCAT_RETURN_IF_ERROR(applyConfigFile(config, commandLine.configFile));
  }
  for (const auto& [key, value] : commandLine.settings) {
    if (Status status = setConfigValue(config, key, value); !status) {
      return Status::error(StatusCode::kInvalidArgument, "command line: " + status.message());
    }
  }
  OPCAT_RETURN_IF_ERROR(validateConfig(config));
  return config;
}

std::string usageLine() {
  return "usage: opcat-server serve --listen HOST:PORT --data DIR [--config FILE] "
         "[--tls-cert PEM --tls-key PEM] [--insecure-http]";
}

std::string usageText() {
  return "opcat-server: the coordinating sync server of Opcat Field\n"
         "\n"
         "usage: opcat-server COMMAND [OPTIONS]\n"
         "\n"
         "commands:\n"
         "  serve    run the HTTPS sync server (see `opcat-server serve --help`)\n"
         "  admin    administration: users, monitors, teams, devices, registry, visits, keys\n"
         "           (see `opcat-server admin --help`)\n"
         "\n"
         "options:\n"
         "  -h, --help   show this help\n";
}

std::string serveUsageText() {
  return usageLine() +
         "\n"
         "\n"
         "  --listen HOST:PORT   address to listen on (default 127.0.0.1:8443; port 0 picks a\n"
         "                       free port); prints 'listening on URL' once listening\n"
         "  --data DIR           data folder, created with mode 0700; must not be readable by\n"
         "                       group or others; one server per folder\n"
         "  --config FILE        settings as 'key = value' lines; flags override them\n"
         "  --tls-cert PEM       certificate chain for HTTPS (TLS 1.2 or newer)\n"
         "  --tls-key PEM        private key for --tls-cert\n"
         "  --insecure-http      allow plain HTTP on a non-loopback address (behind a TLS proxy)\n"
         "\n"
         "config file keys: listen, data, tls_cert, tls_key, insecure_http, max_body_bytes,\n"
         "  max_blob_bytes, max_header_bytes, header_timeout_s, body_idle_timeout_s,\n"
         "  shutdown_timeout_s, io_threads, worker_threads, max_connections,\n"
         "  console_session_ttl_s, console_idle_timeout_s, metrics_token_sha256\n"
         "\n"
         "  console_session_ttl_s    a console sign-in ends this long after it began (default\n"
         "                           28800, 8 hours)\n"
         "  console_idle_timeout_s   ...or this long after its last request (default 900,\n"
         "                           15 minutes; keep it at 60 or more, lower is for tests)\n"
         "  metrics_token_sha256     hex SHA-256 of the bearer token GET /metrics then requires;\n"
         "                           without it /metrics answers loopback clients only\n"
         "\n"
         "SIGTERM or SIGINT stops the server gracefully; exit status 0 after a clean stop,\n"
         "2 for bad arguments or settings, 1 when the server fails.\n";
}

}  // namespace opcat::server
