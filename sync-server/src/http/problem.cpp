#include "http/problem.h"

#include "service/json_text.h"

namespace opcat::server::http {
namespace {

struct ProblemType {
  ProblemCode code;
  unsigned httpStatus;
  const char* title;
};

// Status and title of each code; the meaning of each is commented in problem.h.
constexpr ProblemType kProblemTypes[] = {
    {ProblemCode::kMalformedRequest, 400, "Malformed request"},
    {ProblemCode::kBodyTooLarge, 413, "Request body too large"},
    {ProblemCode::kUnsupportedMediaType, 415, "Unsupported media type"},
    {ProblemCode::kRouteNotFound, 404, "Not found"},
    {ProblemCode::kMethodNotAllowed, 405, "Method not allowed"},
    {ProblemCode::kHeaderTimeout, 408, "Request header timeout"},
    {ProblemCode::kHeaderTooLarge, 431, "Request header too large"},
    {ProblemCode::kBodyTimeout, 408, "Request body timeout"},
    {ProblemCode::kMalformedProtobuf, 400, "Malformed protobuf body"},
    {ProblemCode::kInvalidChange, 422, "Invalid change"},
    {ProblemCode::kValidationFailed, 422, "Record fails validation"},
    {ProblemCode::kBatchTooLarge, 413, "Too many changes in one push"},
    {ProblemCode::kUnknownParent, 422, "Unknown parent record"},
    {ProblemCode::kParentChanged, 422, "Record cannot change parent"},
    {ProblemCode::kKindChanged, 422, "Record cannot change kind"},
    {ProblemCode::kAppendOnly, 422, "Append-only record"},
    {ProblemCode::kRangeNotSatisfiable, 416, "Upload offset mismatch"},
    {ProblemCode::kDigestMismatch, 422, "Content does not match its SHA-256"},
    {ProblemCode::kMalformedJson, 400, "Malformed JSON body"},
    {ProblemCode::kUnauthenticated, 401, "Unauthenticated"},
    {ProblemCode::kForbidden, 403, "Forbidden"},
    {ProblemCode::kReadOnlyForDevices, 403, "Read-only for tablets"},
    {ProblemCode::kNotFound, 404, "Not found"},
    {ProblemCode::kEnrollmentRefused, 403, "Enrollment refused"},
    {ProblemCode::kDeviceIdTaken, 409, "Device id already enrolled"},
    {ProblemCode::kRateLimited, 429, "Too many requests"},
    {ProblemCode::kLoginFailed, 401, "Sign-in failed"},
    {ProblemCode::kInternalError, 500, "Internal server error"},
    {ProblemCode::kShuttingDown, 503, "Server shutting down"},
    {ProblemCode::kNotConfigured, 503, "Not configured"},
};

}  // namespace

Problem makeProblem(ProblemCode code, std::string detail) {
  for (const ProblemType& type : kProblemTypes) {
    if (type.code == code) {
      return Problem{type.httpStatus, static_cast<int>(code), type.title, std::move(detail)};
    }
  }
  return Problem{500, static_cast<int>(code), "Internal server error", std::move(detail)};
}

Response renderProblem(const Problem& problem) {
  Response response;
  response.status = problem.httpStatus;
  response.contentType = "application/problem+json";
  response.problemCode = problem.code;
  response.body = "{\"code\":" + std::to_string(problem.code) +
                  ",\"title\":" + jsonQuote(problem.title) +
                  ",\"detail\":" + jsonQuote(problem.detail) + "}";
  return response;
}

Response problemResponse(ProblemCode code, std::string detail) {
  return renderProblem(makeProblem(code, std::move(detail)));
}

}  // namespace opcat::server::http
