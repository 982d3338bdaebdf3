#include "service/login_service.h"

#include <sodium.h>

#include <cmath>
#include <optional>

#include "core/utf8.h"
#include "crypto/sodium_init.h"
#include "service/audit_log.h"
#include "service/device_auth.h"
#include "service/json_text.h"

namespace opcat::server {
namespace {

// An Argon2id hash of a random, forgotten password, made with the parameters `admin user-add`
// uses (libsodium's interactive limits). An unknown username is checked against it, so that it
// costs as long as a known one with a wrong password.
constexpr char kDummyHash[] =
    "$argon2id$v=19$m=65536,t=2,p=1$Oy2Mgt6UlIn3AtERuLmWGg$"
    "lyzmanVEnSjX/vOCkRBO8CwwNKIotGGX7yBHb1aw2Qo";

constexpr char kFailedDetail[] = "wrong username or password";

// The attempted username for the audit log: quoted and escaped, so it cannot forge fields.
std::string auditUsername(std::string_view username) {
  return "username=" + jsonQuote(username.substr(0, kMaxLoginUsernameBytes));
}

}  // namespace

LoginService::LoginService(db::ServerStore& store, Clock nowMs, std::int64_t sessionTtlMs,
                           std::int64_t idleTimeoutMs, LoginLimits limits)
    : m_store(store),
      m_nowMs(nowMs),
      m_sessionTtlMs(sessionTtlMs),
      m_idleTimeoutMs(idleTimeoutMs),
      m_limits(limits),
      m_byAddress(limits.addressBurst, limits.addressPerMinute),
      m_byUsername(limits.usernameBurst, limits.usernamePerMinute),
      m_throttleAudit(10, 10) {
  crypto::ensureSodium();
}

LoginFailure LoginService::throttled(std::string_view username, std::string_view remoteAddress,
                                     const char* bucket, double perMinute, std::int64_t now) {
  if (m_throttleAudit.allow(remoteAddress, now)) {
    (void)m_store.write([&](db::StoreSession& session) {
      return appendAudit(
          session, now, "-", "login.throttled",
          auditUsername(username) + " limit=" + bucket + " from=" + std::string(remoteAddress));
    });
  }
  // One attempt comes back every 60/perMinute seconds, so waiting that long always suffices.
  const int retryAfter = static_cast<int>(std::ceil(60.0 / perMinute));
  return LoginFailure{ProblemCode::kRateLimited, "too many sign-in attempts; wait and try again",
                      retryAfter};
}

std::variant<LoginSuccess, LoginFailure> LoginService::login(std::string_view username,
                                                             std::string_view password,
                                                             std::string_view remoteAddress) {
  if (username.empty() || username.size() > kMaxLoginUsernameBytes || !isValidUtf8(username)) {
    return LoginFailure{
        ProblemCode::kMalformedRequest,
        "username must be valid UTF-8, 1 to " + std::to_string(kMaxLoginUsernameBytes) + " bytes"};
  }
  if (password.empty() || password.size() > kMaxLoginPasswordBytes || !isValidUtf8(password)) {
    return LoginFailure{
        ProblemCode::kMalformedRequest,
        "password must be valid UTF-8, 1 to " + std::to_string(kMaxLoginPasswordBytes) + " bytes"};
  }
  const std::int64_t now = m_nowMs();
  if (!m_byAddress.allow(remoteAddress, now)) {
    return throttled(username, remoteAddress, "address", m_limits.addressPerMinute, now);
  }
  if (!m_byUsername.allow(username, now)) {
    return throttled(username, remoteAddress, "username", m_limits.usernamePerMinute, now);
  }

  std::optional<db::User> user;
  const Status read = m_store.read([&](db::StoreSession& session) -> Status {
    auto found = session.findUserByName(username);
    if (!found) return found.status();
    user = std::move(found).value();
    return Status::ok();
  });
  if (!read.isOk()) return LoginFailure{ProblemCode::kInternalError, {}};

  // Argon2id runs outside any transaction: the store's writers do not wait for it.
  const char* hash = user ? user->passwordHash.c_str() : kDummyHash;
  const bool passwordMatches =
      crypto_pwhash_str_verify(hash, password.data(), password.size()) == 0 && user;
  const char* refusal = !user              ? "unknown user"
                        : !passwordMatches ? "wrong password"
                        : user->disabled   ? "user disabled"
                                           : nullptr;
  const std::string from = " from=" + std::string(remoteAddress);
  if (refusal != nullptr) {
    const Status audited = m_store.write([&](db::StoreSession& session) {
      return appendAudit(session, now, "-", "login.failed",
                         auditUsername(username) + (user ? " user=" + user->id : "") +
                             " reason=" + refusal + from);
    });
    if (!audited.isOk()) return LoginFailure{ProblemCode::kInternalError, {}};
    return LoginFailure{ProblemCode::kLoginFailed, kFailedDetail};
  }

  LoginSuccess success;
  success.token = newSessionToken();
  success.principal.userId = user->id;
  success.principal.username = user->username;
  success.principal.role = user->role;
  success.principal.expiresAtMs = now + m_sessionTtlMs;
  success.principal.idleExpiresAtMs = now + m_idleTimeoutMs;
  success.principal.tokenHash = secretHash(success.token);
  const Status written = m_store.write([&](db::StoreSession& session) -> Status {
    OPCAT_RETURN_IF_ERROR(
        session.saveConsoleSession(success.principal.tokenHash,
                                   db::ConsoleSession{.userId = user->id,
                                                      .createdAtMs = now,
                                                      .expiresAtMs = success.principal.expiresAtMs,
                                                      .revokedAtMs = 0,
                                                      .lastUsedAtMs = now}));
    return appendAudit(session, now, user->id, "login.succeeded",
                       "username=" + user->username + " role=" + staffRoleName(user->role) + from);
  });
  if (!written.isOk()) return LoginFailure{ProblemCode::kInternalError, {}};
  return success;
}

Status LoginService::logout(const StaffPrincipal& principal, std::string_view remoteAddress) {
  const std::int64_t now = m_nowMs();
  return m_store.write([&](db::StoreSession& session) -> Status {
    OPCAT_RETURN_IF_ERROR(session.revokeConsoleSession(principal.tokenHash, now));
    return appendAudit(session, now, principal.userId, "logout",
                       "from=" + std::string(remoteAddress));
  });
}

}  // namespace opcat::server
