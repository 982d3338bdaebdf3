// Console sessions: after a staff member signs in, their browser holds a random 32-byte token in
// the HttpOnly cookie `opcat_session`; the server keeps only its SHA-256, the user and an absolute
// expiry. Device tokens and session tokens live in different tables, so neither is accepted as
// the other.
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
  std::int64_t expiresAtMs = 0;  // of the session
  std::string tokenHash;         // the session's key, for logout
};

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
// unknown, revoked or expired session, or a user deleted or disabled since (the message says
// which, for the audit log; clients get one answer); the store's error when it failed.
Result<StaffPrincipal> authenticateStaff(
    db::ServerStore& store, const std::vector<std::pair<std::string, std::string>>& headers,
    std::int64_t nowMs);

}  // namespace opcat::server
