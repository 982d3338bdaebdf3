#include "admin/admin_main.h"

#include <iostream>
#include <span>

#include "admin/admin_context.h"
#include "admin/audit_command.h"
#include "admin/checklist_import.h"
#include "admin/devices_command.h"
#include "admin/office_key_command.h"
#include "admin/people_command.h"
#include "admin/registry_import.h"
#include "admin/seed_demo.h"
#include "admin/users_command.h"
#include "admin/visit_command.h"
#include "sync/hlc.h"

namespace opcat::server::admin {
namespace {

std::vector<AdminCommand> allCommands() {
  return {userAddCommand(),        userListCommand(),  monitorAddCommand(), teamAddCommand(),
          enrollCodeCommand(),     devicesCommand(),   revokeCommand(),     importRegistryCommand(),
          loadChecklistsCommand(), planVisitCommand(), officeKeyCommand(),  auditVerifyCommand(),
          seedDemoCommand()};
}

std::string helpText(const std::vector<AdminCommand>& commands) {
  std::string text =
      "usage: opcat-server admin COMMAND --data DIR [OPTIONS]\n"
      "\n"
      "Administration of a server's data folder; works while the server runs.\n"
      "`opcat-server admin COMMAND --help` describes a command's options.\n"
      "\n"
      "commands:\n";
  for (const AdminCommand& command : commands) {
    std::string name(command.name);
    name.resize(18, ' ');
    text += "  " + name + std::string(command.summary) + "\n";
  }
  text +=
      "\n"
      "exit status: 0 done, 1 refused or failed (nothing changed), 2 bad arguments\n";
  return text;
}

std::string commandHelp(const AdminCommand& command) {
  std::string text =
      "usage: " + commandUsageLine(command) + "\n\n" + std::string(command.summary) + "\n";
  text += "\n  --data DIR   the server's data folder (created with mode 0700 if missing)\n";
  if (!command.details.empty()) text += std::string(command.details);
  return text;
}

bool isHelp(std::string_view arg) { return arg == "--help" || arg == "-h" || arg == "help"; }

}  // namespace

int runAdmin(const std::vector<std::string>& args, std::istream& in, std::ostream& out,
             std::ostream& err) {
  const std::vector<AdminCommand> commands = allCommands();
  if (args.empty()) {
    err << "opcat-server admin: no command given\n" << helpText(commands);
    return kExitUsage;
  }
  if (isHelp(args.front())) {
    out << helpText(commands);
    return kExitOk;
  }
  const AdminCommand* command = nullptr;
  for (const AdminCommand& candidate : commands) {
    if (candidate.name == args.front()) command = &candidate;
  }
  if (command == nullptr) {
    err << "opcat-server admin: unknown command '" << args.front() << "'\n" << helpText(commands);
    return kExitUsage;
  }
  const std::span<const std::string> rest(args.begin() + 1, args.end());
  for (const std::string& arg : rest) {
    if (arg == "--help" || arg == "-h") {
      out << commandHelp(*command);
      return kExitOk;
    }
  }
  auto parsed = AdminArgs::parse(rest, command->options, command->takesPositionals);
  if (!parsed) {
    err << "opcat-server admin: " << command->name << ": " << parsed.status().message() << "\n"
        << "usage: " << commandUsageLine(*command) << std::endl;
    return kExitUsage;
  }
  AdminContext context(*command, parsed->dataDir(), in, out, err,
                       &sync::HybridClock::systemWallClockMs);
  const int status = command->run(context, *parsed);
  out.flush();
  return status;
}

}  // namespace opcat::server::admin
