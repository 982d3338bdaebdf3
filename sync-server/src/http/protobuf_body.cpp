#include "http/protobuf_body.h"

#include "opcat/v1/sync.pb.h"

namespace opcat::server::http {

Response protobufProblem(ProblemCode code, std::string detail) {
  const Problem problem = makeProblem(code, std::move(detail));
  v1::Problem message;
  message.set_code(problem.code);
  message.set_title(problem.title);
  message.set_detail(problem.detail);
  Response response;
  response.status = problem.httpStatus;
  response.contentType = kProtobufType;
  response.problemCode = problem.code;
  response.body = message.SerializeAsString();
  return response;
}

std::optional<Response> parseProtobufBody(const Request& request,
                                          google::protobuf::MessageLite& message) {
  const auto type = request.header("Content-Type");
  if (!type || type->substr(0, sizeof(kProtobufType) - 1) != kProtobufType) {
    return protobufProblem(ProblemCode::kUnsupportedMediaType,
                           std::string("send the body as ") + kProtobufType);
  }
  if (!message.ParseFromString(request.body)) {
    return protobufProblem(ProblemCode::kMalformedProtobuf,
                           "the body does not parse as " + message.GetTypeName());
  }
  return std::nullopt;
}

Response protobufResponse(const google::protobuf::MessageLite& message) {
  Response response;
  response.status = 200;
  response.contentType = kProtobufType;
  response.body = message.SerializeAsString();
  return response;
}

}  // namespace opcat::server::http
