// What every `opcat-server admin` command is given: its parsed options, the output streams and
// the store of the data folder, plus the two ways a command ends badly (a usage error, exit 2,
// or a refused operation, exit 1). Commands open the store themselves, after checking their
// arguments, so a mistyped command leaves no data folder behind. The store is opened without
// the server's lock: SQLite (WAL, busy timeout) lets a command run beside a running server.
#pragma once

#include <cstdint>
#include <iosfwd>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "db/server_store.h"

namespace opcat::server::admin {

inline constexpr int kExitOk = 0;
inline constexpr int kExitRefused = 1;  // the operation was refused or failed; nothing changed
inline constexpr int kExitUsage = 2;    // bad or missing arguments

// Who administration commands act as, in the audit log and as the author of office changes.
inline constexpr char kAdminActor[] = "admin-cli";

struct OptionSpec {
  enum class Kind { kValue, kRepeated, kFlag };
  std::string_view name;  // "--username"
  Kind kind = Kind::kValue;
  bool required = false;
};

// The options of one command line: `--name value`, `--name=value`, flags and positionals.
class AdminArgs {
 public:
  // Checks `args` against `spec` (plus --data, which every command takes): unknown options,
  // values missing or repeated, required options absent, positionals where none are taken.
  // kInvalidArgument with a message for the user.
  static Result<AdminArgs> parse(std::span<const std::string> args,
                                 std::span<const OptionSpec> spec, bool takesPositionals);

  std::optional<std::string> value(std::string_view name) const;
  std::vector<std::string> values(std::string_view name) const;
  // True when the flag (or any option of that name) was given.
  bool flag(std::string_view name) const { return m_values.find(name) != m_values.end(); }
  const std::vector<std::string>& positionals() const { return m_positionals; }
  const std::string& dataDir() const { return m_dataDir; }

 private:
  std::map<std::string, std::vector<std::string>, std::less<>> m_values;
  std::vector<std::string> m_positionals;
  std::string m_dataDir;
};

class AdminContext;

// One command: its name, the rest of its usage line, a one-line summary for `admin --help`,
// the text of `admin NAME --help`, its options and what runs it.
struct AdminCommand {
  std::string_view name;
  std::string_view usage;    // e.g. "--username NAME --role admin|coordinator|viewer"
  std::string_view summary;  // e.g. "add a staff user (password on stdin)"
  std::string_view details;  // option descriptions, several lines
  std::vector<OptionSpec> options;
  bool takesPositionals = false;
  int (*run)(AdminContext& context, const AdminArgs& args) = nullptr;
};

class AdminContext {
 public:
  using Clock = std::int64_t (*)();

  AdminContext(const AdminCommand& command, std::string dataDir, std::istream& in,
               std::ostream& out, std::ostream& err, Clock nowMs);
  ~AdminContext();
  AdminContext(const AdminContext&) = delete;
  AdminContext& operator=(const AdminContext&) = delete;

  std::istream& in() { return m_in; }
  std::ostream& out() { return m_out; }
  std::ostream& err() { return m_err; }
  const std::string& dataDir() const { return m_dataDir; }
  std::int64_t now() const { return m_nowMs(); }
  Clock clock() const { return m_nowMs; }

  // The store of the data folder, creating the folder (mode 0700) and the database on first
  // use. Null after printing why (exit with openFailureExit()).
  db::ServerStore* store();
  int openFailureExit() const { return m_openFailureExit; }

  // Prints "opcat-server admin: <message>" and the command's usage line; returns kExitUsage.
  int usageError(std::string_view message);
  // Prints "opcat-server admin: <message>"; returns kExitRefused.
  int refuse(std::string_view message);
  // The command's usage line, "usage: opcat-server admin NAME --data DIR ...".
  std::string usageLine() const;

 private:
  const AdminCommand& m_command;
  std::string m_dataDir;
  std::istream& m_in;
  std::ostream& m_out;
  std::ostream& m_err;
  Clock m_nowMs;
  std::unique_ptr<db::ServerStore> m_store;
  int m_openFailureExit = kExitRefused;
};

// "opcat-server admin NAME --data DIR USAGE".
std::string commandUsageLine(const AdminCommand& command);

}  // namespace opcat::server::admin
