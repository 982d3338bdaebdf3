#include "http/console_auth_resource.h"

#include <sodium.h>

#include <stdexcept>
#include <variant>

#include "core/ascii.h"
#include "http/problem.h"
#include "service/audit_log.h"
#include "service/json_object.h"
#include "service/json_text.h"
#include "service/rate_limiter.h"
#include "service/staff_auth.h"
#include "sync/hlc.h"

namespace opcat::server::http {
namespace {

// Refused session cookies are audited, but at most a few per address and minute.
RateLimiter& refusalAuditLimiter() {
  static RateLimiter limiter(10, 10);
  return limiter;
}

// Secure is sent even on plain HTTP: browsers keep Secure cookies from http://127.0.0.1 and
// localhost, and a server behind a TLS proxy sees plain HTTP while its clients use HTTPS.
std::string sessionCookie(std::string_view value, std::int64_t maxAgeSeconds) {
  return std::string(kSessionCookie) + "=" + std::string(value) + "; Path=" + kSessionCookiePath +
         "; Max-Age=" + std::to_string(maxAgeSeconds) + "; HttpOnly; Secure; SameSite=Strict";
}

bool isJsonContentType(std::string_view type) {
  type = type.substr(0, type.find(';'));
  while (!type.empty() && type.back() == ' ') type.remove_suffix(1);
  return equalsIgnoringAsciiCase(type, "application/json");
}

std::string principalJson(const StaffPrincipal& principal) {
  return "{\"username\":" + jsonQuote(principal.username) + ",\"role\":\"" +
         staffRoleName(principal.role) +
         "\",\"expiresAtMs\":" + std::to_string(principal.expiresAtMs) +
         ",\"idleExpiresAtMs\":" + std::to_string(principal.idleExpiresAtMs) + "}";
}

// Wipes a copy of the password when the handler returns, whatever the path.
struct WipeOnExit {
  std::string& secret;
  ~WipeOnExit() { sodium_memzero(secret.data(), secret.size()); }
};

Response postLogin(LoginService& service, const Request& request) {
  if (!isJsonContentType(request.header("Content-Type").value_or(""))) {
    return problemResponse(ProblemCode::kUnsupportedMediaType, "send the body as application/json");
  }
  if (request.body.size() > kMaxLoginBodyBytes) {
    return problemResponse(
        ProblemCode::kBodyTooLarge,
        "a sign-in body is at most " + std::to_string(kMaxLoginBodyBytes) + " bytes");
  }
  auto members = parseJsonStringObject(request.body);
  if (!members) return problemResponse(ProblemCode::kMalformedJson, members.status().message());
  const auto username = members->find("username");
  const auto password = members->find("password");
  if (username == members->end() || password == members->end()) {
    return problemResponse(ProblemCode::kMalformedJson,
                           "the body must be {\"username\": \"...\", \"password\": \"...\"}");
  }
  WipeOnExit wipe{password->second};
  auto outcome = service.login(username->second, password->second, request.remoteAddress);
  if (auto* failure = std::get_if<LoginFailure>(&outcome)) {
    Response response = problemResponse(failure->problem, failure->detail);
    if (failure->retryAfterSeconds > 0) {
      response.headers.emplace_back("Retry-After", std::to_string(failure->retryAfterSeconds));
    }
    return response;
  }
  const auto& success = std::get<LoginSuccess>(outcome);
  Response response = Response::json(200, principalJson(success.principal));
  response.headers.emplace_back("Set-Cookie",
                                sessionCookie(success.token, service.sessionTtlMs() / 1000));
  response.principal = success.principal.userId;
  return response;
}

// The staff member behind the session cookie, or nullopt (after auditing a refused cookie).
// Counts as a use of the session for the idle timeout.
std::optional<StaffPrincipal> staff(db::ServerStore& store, const LoginService& login,
                                    const Request& request) {
  const std::int64_t now = sync::HybridClock::systemWallClockMs();
  auto principal = authenticateStaff(store, request.headers, now, login.idleTimeoutMs());
  if (principal) return std::move(principal).value();
  const StatusCode code = principal.status().code();
  if (code != StatusCode::kUnavailable) throw std::runtime_error("store");
  // A request without a cookie is a visitor not signed in yet; only refused cookies are events.
  if (sessionTokenFromCookies(request.headers) &&
      refusalAuditLimiter().allow(request.remoteAddress, now)) {
    (void)store.write([&](db::StoreSession& session) {
      return appendAudit(session, now, "-", "auth.refused",
                         principal.status().message() + " route=" + request.path +
                             " from=" + request.remoteAddress);
    });
  }
  return std::nullopt;
}

Response getSession(db::ServerStore& store, const LoginService& login, const Request& request) {
  auto principal = staff(store, login, request);
  if (!principal) {
    return problemResponse(ProblemCode::kUnauthenticated, "not signed in, or the session ended");
  }
  Response response = Response::json(200, principalJson(*principal));
  response.principal = principal->userId;
  return response;
}

// Always 204 and a cleared cookie: signing out twice, or with a dead session, is no error.
Response postLogout(db::ServerStore& store, LoginService& service, const Request& request) {
  Response response;
  response.status = 204;
  response.headers.emplace_back("Set-Cookie", sessionCookie("", 0));
  if (auto principal = staff(store, service, request)) {
    if (!service.logout(*principal, request.remoteAddress).isOk()) {
      throw std::runtime_error("logout failed");
    }
    response.principal = principal->userId;
  }
  return response;
}

}  // namespace

void addConsoleAuthResource(Router& router, db::ServerStore& store, LoginService& login) {
  router.post("/console/api/login", [&login](const Request& r) { return postLogin(login, r); });
  router.post("/console/api/logout",
              [&store, &login](const Request& r) { return postLogout(store, login, r); });
  router.get("/console/api/session",
             [&store, &login](const Request& r) { return getSession(store, login, r); });
}

}  // namespace opcat::server::http
