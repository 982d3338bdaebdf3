// Problem: how every error leaves the server. Each error has a stable number that clients and
// operators can look up, after ODK Central's numbered problems. Rendering lives only here, so
// the protobuf form for the tablets can be added beside the JSON one.
#pragma once

#include <string>

#include "http/request.h"
#include "service/problem_code.h"

namespace opcat::server::http {

// The catalogue of problem codes lives in service/problem_code.h: services decide, this renders.
using ProblemCode = ::opcat::server::ProblemCode;

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
