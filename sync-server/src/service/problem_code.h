// The catalogue of numbered problem codes, shared by the services (which decide) and the HTTP
// layer (which renders). Codes are never renumbered or reused; add new ones at the end of their
// block. The hundreds follow the HTTP status class (10xx request, 14xx access, 15xx server).
#pragma once

namespace opcat::server {

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
  kMalformedProtobuf = 1010,     // 400: the body does not parse as the expected message
  kInvalidChange = 1011,         // 422: a change is malformed (ids, kinds, field numbers, sizes)
  kValidationFailed = 1012,      // 422: the merged record breaks a domain rule (names the field)
  kBatchTooLarge = 1013,         // 413: more changes in one push than the server accepts
  kUnknownParent = 1014,         // 422: the record's parent (visit, interview…) is not known
  kParentChanged = 1015,         // 422: a record cannot move to another parent
  kKindChanged = 1016,           // 422: the id already belongs to a record of another kind
  kAppendOnly = 1017,            // 422: append-only records cannot be edited or deleted
  kRangeNotSatisfiable = 1018,   // 416: an upload's Content-Range does not start at the offset
  kDigestMismatch = 1019,        // 422: an uploaded blob's SHA-256 is not its name
  kMalformedJson = 1020,         // 400: the body is not the JSON object the resource expects
  kUnauthenticated = 1401,       // 401: missing, unknown or revoked credentials
  kForbidden = 1403,             // 403: authenticated, but not allowed to touch this object
  kReadOnlyForDevices = 1404,    // 403: tablets cannot change this kind of record
  kNotFound = 1405,              // 404: no such object (or not one the caller may know of)
  kEnrollmentRefused = 1406,     // 403: the enrollment code is unknown, used or expired
  kDeviceIdTaken = 1409,         // 409: another device is enrolled under this id
  kRateLimited = 1429,           // 429: too many requests from this principal or address
  kLoginFailed = 1410,           // 401: unknown user, wrong password or disabled user (one answer)
  kInternalError = 1500,         // 500: a bug; details are in the server log, never the reply
  kShuttingDown = 1503,          // 503: the server is stopping; retry later
  kNotConfigured = 1504,         // 503: the office has not set up what this needs (office key)
};

}  // namespace opcat::server
