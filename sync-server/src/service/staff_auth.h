// Console sessions: after a staff member signs in, their browser holds a random 32-byte token in
// the HttpOnly cookie `opcat_session`; the server keeps only its SHA-256, the user, an absolute
// expiry and the last use (for the idle timeout). Device tokens and session tokens live in
// different tables, so neither is accepted as the other.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/status.h"
#include "db/server_store.h"

namespace opcat::server {

inline constexpr char kSessionCookie[] = "opcat_session";
inline constexpr char kSessionCookiePath[] = "/console";

// A staff member as the console's routes see them after authentication.
struct StaffPrincipal {
  std::string userId;
  std::string username;
  db::Role role = db::Role::kViewer;
  std::int64_t expiresAtMs = 0;      // of the session, however busy
  std::int64_t idleExpiresAtMs = 0;  // when it ends unless used before (last use + idle limit)
  std::string tokenHash;             // the session's key, for logout
};

// Recording every use of a session would make every console request a durable write (an
// fsync), so a use is recorded only when the recorded one is at least this old: a 15th of the
// idle limit, at most a minute (60 s for the default 15 minutes).
//
// The idle limit is compared with the recorded last use, which lags the latest request by less
// than the granularity. So a session is never accepted after more than the idle limit without
// a request, and always accepted within the limit minus the granularity: with the default
// 15 minutes, an idle session ends between 14 and 15 minutes after its last request.
inline constexpr std::int64_t kMaxSessionUseGranularityMs = 60 * 1000;
std::int64_t sessionUseGranularityMs(std::int64_t idleTimeoutMs);

// A new session token: 32 random bytes as 43 characters of unpadded base64url, like a device
// token (a random 256-bit secret needs no slow hash, so SHA-256 keys it in the store).
std::string newSessionToken();

// "admin", "coordinator" or "viewer".
const char* staffRoleName(db::Role role);

// The value of the `opcat_session` cookie among the request's Cookie headers (name, value),
// or nullopt when absent, empty or not of the token alphabet (base64url, at most 128 bytes).
std::optional<std::string> sessionTokenFromCookies(
    const std::vector<std::pair<std::string, std::string>>& headers);

// The staff member behind the request's session cookie at `nowMs`. kUnavailable for a missing,
// unknown, revoked or expired session, one unused for `idleTimeoutMs` or longer ("idle
// session"), or a user deleted or disabled since (the message says which, for the audit log;
// clients get one answer); the store's error when it failed. An accepted session's use is
// recorded (a write) when the recorded one is sessionUseGranularityMs old; otherwise this only
// reads.
Result<StaffPrincipal> authenticateStaff(
    db::ServerStore& store, const std::vector<std::pair<std::string, std::string>>& headers,
    std::int64_t nowMs, std::int64_t idleTimeoutMs);

}  // namespace opcat::server
