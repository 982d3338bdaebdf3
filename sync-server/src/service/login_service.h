// Staff sign-in for the coordinators' console: checks a username and password against the
// Argon2id hash that `admin user-add` stored, under per-address and per-username rate limits,
// and opens a server-side session. Unknown users, wrong passwords and disabled users get one
// answer in about the same time; every outcome is audited, never with the password.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <variant>

#include "core/status.h"
#include "db/server_store.h"
#include "service/problem_code.h"
#include "service/rate_limiter.h"
#include "service/staff_auth.h"

namespace opcat::server {

// Token buckets for sign-in attempts (burst, then per minute). The address bucket is the larger
// one, so that one office behind NAT can still sign in while one user is being guessed at.
struct LoginLimits {
  double addressBurst = 10;
  double addressPerMinute = 10;
  double usernameBurst = 5;
  double usernamePerMinute = 5;
};

inline constexpr std::size_t kMaxLoginUsernameBytes = 64;
inline constexpr std::size_t kMaxLoginPasswordBytes = 1024;

struct LoginSuccess {
  StaffPrincipal principal;
  std::string token;  // the cookie's value, returned once; only its hash is stored
};

struct LoginFailure {
  ProblemCode problem = ProblemCode::kLoginFailed;
  std::string detail;
  int retryAfterSeconds = 0;  // set for kRateLimited
};

class LoginService {
 public:
  using Clock = std::int64_t (*)();
  static constexpr std::int64_t kDefaultSessionTtlMs = 8LL * 3600 * 1000;
  static constexpr std::int64_t kDefaultIdleTimeoutMs = 15LL * 60 * 1000;

  // A session lasts `sessionTtlMs` at most, and ends earlier when unused for `idleTimeoutMs`
  // (see authenticateStaff).
  LoginService(db::ServerStore& store, Clock nowMs, std::int64_t sessionTtlMs,
               std::int64_t idleTimeoutMs, LoginLimits limits = {});

  std::int64_t sessionTtlMs() const { return m_sessionTtlMs; }
  std::int64_t idleTimeoutMs() const { return m_idleTimeoutMs; }

  // Signs `username` in. Malformed input (empty, over kMaxLogin*Bytes, not UTF-8) fails with
  // kMalformedRequest before any limit is counted; over a limit fails with kRateLimited without
  // looking at the password; a wrong password, unknown or disabled user with kLoginFailed.
  // Runs Argon2id (tenths of a second): call from a worker thread. kInternalError when the
  // store failed.
  std::variant<LoginSuccess, LoginFailure> login(std::string_view username,
                                                 std::string_view password,
                                                 std::string_view remoteAddress);

  // Ends the session of `principal` at once and audits it.
  Status logout(const StaffPrincipal& principal, std::string_view remoteAddress);

 private:
  LoginFailure throttled(std::string_view username, std::string_view remoteAddress,
                         const char* bucket, double perMinute, std::int64_t now);

  db::ServerStore& m_store;
  Clock m_nowMs;
  std::int64_t m_sessionTtlMs;
  std::int64_t m_idleTimeoutMs;
  LoginLimits m_limits;
  RateLimiter m_byAddress;
  RateLimiter m_byUsername;
  RateLimiter m_throttleAudit;  // per address: a flood of refusals is not a flood of writes
};

}  // namespace opcat::server
