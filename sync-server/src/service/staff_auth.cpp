#include "service/staff_auth.h"

#include <algorithm>

#include "service/device_auth.h"

namespace opcat::server {
namespace {

constexpr std::size_t kMaxTokenBytes = 128;

bool isTokenText(std::string_view text) {
  if (text.empty() || text.size() > kMaxTokenBytes) return false;
  for (const char c : text) {
    const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                    c == '-' || c == '_';
    if (!ok) return false;
  }
  return true;
}

std::string_view trimSpaces(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

bool isCookieHeader(std::string_view name) {
  constexpr std::string_view kCookie = "cookie";
  if (name.size() != kCookie.size()) return false;
  for (std::size_t i = 0; i < name.size(); ++i) {
    const char c =
        name[i] >= 'A' && name[i] <= 'Z' ? static_cast<char>(name[i] - 'A' + 'a') : name[i];
    if (c != kCookie[i]) return false;
  }
  return true;
}

}  // namespace

std::string newSessionToken() { return newDeviceToken(); }

const char* staffRoleName(db::Role role) {
  switch (role) {
    case db::Role::kAdmin:
      return "admin";
    case db::Role::kCoordinator:
      return "coordinator";
    case db::Role::kViewer:
      return "viewer";
  }
  return "viewer";
}

std::optional<std::string> sessionTokenFromCookies(
    const std::vector<std::pair<std::string, std::string>>& headers) {
  for (const auto& [name, value] : headers) {
    if (!isCookieHeader(name)) continue;
    std::string_view rest = value;
    while (!rest.empty()) {
      const std::size_t semicolon = rest.find(';');
      const std::string_view pair = trimSpaces(rest.substr(0, semicolon));
      rest = semicolon == std::string_view::npos ? std::string_view() : rest.substr(semicolon + 1);
      const std::size_t equals = pair.find('=');
      if (equals == std::string_view::npos ||
          trimSpaces(pair.substr(0, equals)) != kSessionCookie) {
        continue;
      }
      const std::string_view token = trimSpaces(pair.substr(equals + 1));
      // The first cookie of that name decides: a malformed one is not skipped for a later one.
      if (!isTokenText(token)) return std::nullopt;
      return std::string(token);
    }
  }
  return std::nullopt;
}

std::int64_t sessionUseGranularityMs(std::int64_t idleTimeoutMs) {
  return std::clamp<std::int64_t>(idleTimeoutMs / 15, 0, kMaxSessionUseGranularityMs);
}

namespace {

// Checks the session `principal.tokenHash` names at `nowMs` and fills in the rest of
// `principal`; kNotFound (with the reason) when it is refused. `*stale` tells whether its use is
// to be recorded.
Status checkSession(db::StoreSession& session, std::int64_t nowMs, std::int64_t idleTimeoutMs,
                    StaffPrincipal& principal, bool* stale) {
  auto console = session.findConsoleSessionByTokenHash(principal.tokenHash);
  if (!console) return console.status();
  if (!*console) return Status::error(StatusCode::kNotFound, "unknown session");
  const db::ConsoleSession& found = **console;
  if (found.revokedAtMs != 0) {
    return Status::error(StatusCode::kNotFound,
                         "session of user " + found.userId + " was signed out");
  }
  if (found.expiresAtMs <= nowMs) {
    return Status::error(StatusCode::kNotFound, "session of user " + found.userId + " expired");
  }
  const std::int64_t idleExpiresAtMs = found.lastUsedAtMs + idleTimeoutMs;
  if (idleExpiresAtMs <= nowMs) {
    return Status::error(StatusCode::kNotFound, "idle session of user " + found.userId +
                                                    ", last used at " +
                                                    std::to_string(found.lastUsedAtMs));
  }
  auto user = session.findUserById(found.userId);
  if (!user) return user.status();
  if (!*user) return Status::error(StatusCode::kNotFound, "user " + found.userId + " is gone");
  if ((*user)->disabled) {
    return Status::error(StatusCode::kNotFound, "user " + (*user)->id + " is disabled");
  }
  principal.userId = (*user)->id;
  principal.username = (*user)->username;
  principal.role = (*user)->role;
  principal.expiresAtMs = found.expiresAtMs;
  principal.idleExpiresAtMs = idleExpiresAtMs;
  *stale = nowMs - found.lastUsedAtMs >= sessionUseGranularityMs(idleTimeoutMs);
  return Status::ok();
}

}  // namespace

Result<StaffPrincipal> authenticateStaff(
    db::ServerStore& store, const std::vector<std::pair<std::string, std::string>>& headers,
    std::int64_t nowMs, std::int64_t idleTimeoutMs) {
  const std::optional<std::string> token = sessionTokenFromCookies(headers);
  if (!token) return Status::error(StatusCode::kUnavailable, "no session cookie");
  StaffPrincipal principal;
  principal.tokenHash = secretHash(*token);
  bool stale = false;
  Status found = store.read([&](db::StoreSession& session) {
    return checkSession(session, nowMs, idleTimeoutMs, principal, &stale);
  });
  if (found.isOk() && stale) {
    // Checked again inside the write: the session may have been signed out in between.
    found = store.write([&](db::StoreSession& session) -> Status {
      OPCAT_RETURN_IF_ERROR(checkSession(session, nowMs, idleTimeoutMs, principal, &stale));
      if (!stale) return Status::ok();  // another request recorded it meanwhile
      OPCAT_RETURN_IF_ERROR(session.touchConsoleSession(principal.tokenHash, nowMs));
      principal.idleExpiresAtMs = nowMs + idleTimeoutMs;
      return Status::ok();
    });
  }
  if (!found.isOk()) {
    if (found.code() == StatusCode::kDatabaseError || found.code() == StatusCode::kCorrupt) {
      return found;
    }
    return Status::error(StatusCode::kUnavailable, found.message());
  }
  return principal;
}

}  // namespace opcat::server
