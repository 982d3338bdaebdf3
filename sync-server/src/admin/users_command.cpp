#include "admin/users_command.h"

#include <sodium.h>
#include <unistd.h>

#include <istream>
#include <optional>
#include <ostream>

#include "admin/time_text.h"
#include "core/utf8.h"
#include "core/uuid.h"
#include "crypto/sodium_init.h"
#include "service/audit_log.h"
#include "service/staff_auth.h"

namespace opcat::server::admin {
namespace {

bool isValidUsername(std::string_view name) {
  if (name.size() < 3 || name.size() > 64) return false;
  for (const char c : name) {
    const bool ok =
        (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

std::optional<db::Role> parseRole(std::string_view text) {
  if (text == "admin") return db::Role::kAdmin;
  if (text == "coordinator") return db::Role::kCoordinator;
  if (text == "viewer") return db::Role::kViewer;
  return std::nullopt;
}

Status checkPassword(std::string_view password) {
  if (password.size() > kMaxPasswordBytes) {
    return Status::error(
        StatusCode::kInvalidArgument,
        "the password is longer than " + std::to_string(kMaxPasswordBytes) + " bytes");
  }
  if (!isValidUtf8(password)) {
    return Status::error(StatusCode::kInvalidArgument, "the password is not valid UTF-8");
  }
  if (utf8Length(password) < kMinPasswordChars) {
    return Status::error(
        StatusCode::kInvalidArgument,
        "the password is shorter than " + std::to_string(kMinPasswordChars) + " characters");
  }
  return Status::ok();
}

// The first line of `in`, without its line ending, reading at most a little past the limit so
// that endless input is not buffered. Reserved up front: no reallocation leaves a copy behind.
std::string readPasswordLine(std::istream& in) {
  std::string line;
  line.reserve(kMaxPasswordBytes + 2);
  char c = 0;
  while (line.size() <= kMaxPasswordBytes + 1 && in.get(c) && c != '\n') line.push_back(c);
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return line;
}

int runUserAdd(AdminContext& context, const AdminArgs& args) {
  const std::string username = *args.value("--username");
  if (!isValidUsername(username)) {
    return context.usageError("--username must be 3 to 64 of a-z 0-9 . _ -");
  }
  const auto role = parseRole(*args.value("--role"));
  if (!role) return context.usageError("--role must be admin, coordinator or viewer");

  if (::isatty(STDIN_FILENO) == 1) {
    context.err() << "password for " << username << " (at least " << kMinPasswordChars
                  << " characters; shown as typed): " << std::flush;
  }
  std::string password = readPasswordLine(context.in());
  struct Wipe {
    std::string& s;
    ~Wipe() { sodium_memzero(s.data(), s.size()); }
  } wipe{password};
  if (Status ok = checkPassword(password); !ok) return context.refuse(ok.message());

  db::ServerStore* store = context.store();
  if (store == nullptr) return context.openFailureExit();
  std::string id;
  const Status written = store->write([&](db::StoreSession& session) -> Status {
    auto added = addUser(session, username, *role, password, context.now());
    if (!added) return added.status();
    id = *added;
    return Status::ok();
  });
  if (!written) return context.refuse(written.message());
  context.out() << "user " << username << " added (" << staffRoleName(*role) << "), id " << id
                << "\n";
  return kExitOk;
}

int runUserList(AdminContext& context, const AdminArgs&) {
  db::ServerStore* store = context.store();
  if (store == nullptr) return context.openFailureExit();
  std::vector<db::User> users;
  const Status read = store->read([&](db::StoreSession& session) -> Status {
    auto listed = session.listUsers();
    if (!listed) return listed.status();
    users = std::move(listed).value();
    return Status::ok();
  });
  if (!read) return context.refuse(read.message());
  std::ostream& out = context.out();
  out << "username                         role         created                  state     id\n";
  for (const db::User& user : users) {
    std::string name = user.username;
    name.resize(std::max<std::size_t>(name.size(), 32), ' ');
    std::string role = staffRoleName(user.role);
    role.resize(12, ' ');
    out << name << " " << role << " " << formatAdminTime(user.createdAtMs) << "  "
        << (user.disabled ? "disabled" : "active  ") << "  " << user.id << "\n";
  }
  out << users.size() << (users.size() == 1 ? " user\n" : " users\n");
  return kExitOk;
}

}  // namespace

Result<std::string> addUser(db::StoreSession& session, std::string_view username, db::Role role,
                            std::string_view password, std::int64_t nowMs) {
  if (!isValidUsername(username)) {
    return Status::error(StatusCode::kInvalidArgument, "a username is 3 to 64 of a-z 0-9 . _ -");
  }
  OPCAT_RETURN_IF_ERROR(checkPassword(password));
  auto existing = session.findUserByName(username);
  if (!existing) return existing.status();
  if (*existing) {
    return Status::error(StatusCode::kAlreadyExists,
                         "a user named '" + std::string(username) + "' already exists");
  }
  crypto::ensureSodium();
  // Argon2id at libsodium's interactive limits (2 passes over 64 MiB): above OWASP's minimum
  // for Argon2id (19 MiB, 2 passes), and quick enough for a sign-in.
  char hash[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str_alg(hash, password.data(), password.size(),
                            crypto_pwhash_OPSLIMIT_INTERACTIVE, crypto_pwhash_MEMLIMIT_INTERACTIVE,
                            crypto_pwhash_ALG_ARGON2ID13) != 0) {
    return Status::error(StatusCode::kInternal, "out of memory while hashing the password");
  }
  db::User user;
  user.id = newUuid();
  user.username = std::string(username);
  user.role = role;
  user.passwordHash = hash;
  user.createdAtMs = nowMs;
  OPCAT_RETURN_IF_ERROR(session.saveUser(user));
  OPCAT_RETURN_IF_ERROR(appendAudit(
      session, nowMs, kAdminActor, "user.added",
      "user=" + user.id + " username=" + user.username + " role=" + staffRoleName(role)));
  return user.id;
}

AdminCommand userAddCommand() {
  return AdminCommand{
      "user-add",
      "--username NAME --role admin|coordinator|viewer  < password",
      "add a staff user; the password is the first line of standard input",
      "  --username NAME   3 to 64 of a-z 0-9 . _ -\n"
      "  --role ROLE       admin, coordinator or viewer\n"
      "\n"
      "The password (12 characters to 1024 bytes) is read from the first line of standard\n"
      "input and stored only as an Argon2id hash.\n",
      {{"--username", OptionSpec::Kind::kValue, true}, {"--role", OptionSpec::Kind::kValue, true}},
      false,
      &runUserAdd};
}

AdminCommand userListCommand() {
  return AdminCommand{"user-list", "", "list staff users", "", {}, false, &runUserList};
}

}  // namespace opcat::server::admin
