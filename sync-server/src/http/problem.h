// Problem: how every error leaves the server. Each error has a stable number that clients and
// operators can look up, after ODK Central's numbered problems. Rendering lives only here, so
// the protobuf form for the tablets can be added beside the JSON one.
#pragma once

#include <string>

#include "http/request.h"

namespace opcat::server::http {

// The catalogue of problem codes. Codes are never renumbered or reused; add new ones at the end
// of their block. The hundreds follow the HTTP status class (1001-1099 request-level, 14xx
// access, 15xx server).
enum class ProblemCode : int {
  kMalformedRequest = 1001,      // 400: not valid HTTP/1.1, or a parameter fails validation
  kBodyTooLarge = 1002,          // 413: body over max_body_bytes
  kUnsupportedMediaType = 1003,  // 415: Content-Type the resource does not accept
  kRouteNotFound = 1004,         // 404: no resource at this path
  kMethodNotAllowed = 1005,      // 405: the path exists, the method does not (see Allow)
  kHeaderTimeout = 1006,         // 408: headers not complete within header_timeout_s (logged;
                                 //      the connection is closed without a reply)
  kHeaderTooLarge = 1007,        // 431: request line and headers over 16 KiB
  kBodyTimeout = 1008,           // 408: no body byte for body_idle_timeout_s (logged, closed)
  kUnauthenticated = 1401,       // 401: missing, unknown or revoked credentials
  kForbidden = 1403,             // 403: authenticated, but not allowed to touch this object
  kRateLimited = 1429,           // 429: too many requests from this principal or address
  kInternalError = 1500,         // 500: a bug; details are in the server log, never the reply
  kShuttingDown = 1503,          // 503: the server is stopping; retry later
};

// An error as the client sees it. `detail` must never quote request content.
struct Problem {
  unsigned httpStatus = 500;
  int code = static_cast<int>(ProblemCode::kInternalError);
  std::string title;
  std::string detail;
};

// The problem for `code` with its catalogue status and title, and the given detail.
Problem makeProblem(ProblemCode code, std::string detail = {});

// `problem` as JSON {"code":..,"title":"..","detail":".."} with content type
// application/problem+json.
Response renderProblem(const Problem& problem);

// Shorthand for renderProblem(makeProblem(code, detail)).
Response problemResponse(ProblemCode code, std::string detail = {});

}  // namespace opcat::server::http
