// Request and Response: the plain values that resource handlers see and return. They carry no
// Beast or Asio types, so handlers and their tests compile without the HTTP library.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace opcat::server::http {

// One HTTP request, fully read (headers and body) before the handler runs.
struct Request {
  std::string method;                                        // "GET", "POST", ...
  std::string path;                                          // target without the query string
  std::string query;                                         // raw query string, without '?'
  std::map<std::string, std::string> params;                 // {name} segments of the route
  std::vector<std::pair<std::string, std::string>> headers;  // as received, in order
  std::string body;
  std::string remoteAddress;  // peer IP address, e.g. "127.0.0.1"
  bool secure = false;        // arrived over TLS

  // The first header called `name` (compared case-insensitively), or nullopt.
  std::optional<std::string_view> header(std::string_view name) const;
  // The value of {name} in the route pattern. REQUIRES: the pattern has {name}.
  const std::string& param(const std::string& name) const { return params.at(name); }
};

// What a handler returns. Content-Length, Connection and Date are set by the server.
struct Response {
  unsigned status = 200;
  std::string contentType = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;  // extra headers
  // Who made the request (device or user id) once a handler has authenticated it; written to
  // the access log. Empty means unknown ("-").
  std::string principal;
  // The problem code when this response is a problem (set by renderProblem); logged.
  int problemCode = 0;

  static Response json(unsigned status, std::string body);
  static Response text(unsigned status, std::string body,
                       std::string contentType = "text/plain; charset=utf-8");
};

}  // namespace opcat::server::http
