// Protobuf request and response bodies for the tablets' API (application/x-protobuf), and
// problems in the protobuf form those clients read.
#pragma once

#include <google/protobuf/message_lite.h>

#include <optional>
#include <string>

#include "http/problem.h"
#include "http/request.h"

namespace opcat::server::http {

inline constexpr char kProtobufType[] = "application/x-protobuf";

// The problem as an opcat.v1.Problem message (same status, code and texts as the JSON form).
Response protobufProblem(ProblemCode code, std::string detail = {});

// Parses the body into `message`; on failure returns the problem response to send (415 for a
// wrong Content-Type, 400 for bytes that do not parse).
std::optional<Response> parseProtobufBody(const Request& request,
                                          google::protobuf::MessageLite& message);

// A 200 response carrying `message`.
Response protobufResponse(const google::protobuf::MessageLite& message);

}  // namespace opcat::server::http
