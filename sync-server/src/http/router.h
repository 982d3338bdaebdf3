// Router: maps (method, path pattern) to the handler of one resource. Patterns are absolute
// paths whose segments are literals or {name} placeholders, e.g. "/v1/visits/{visitId}".
#pragma once

#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "http/request.h"

namespace opcat::server::http {

class Router {
 public:
  // Runs on a worker thread; may block (SQLite, fsync). An exception becomes a 500 problem.
  using Handler = std::function<Response(const Request&)>;

  // Registers `handler` for `method` on `pattern`. A {name} segment matches one non-empty path
  // segment and is passed percent-decoded in Request::params. When several patterns match a
  // path, the one with the most literal segments wins.
  // REQUIRES: all routes are added before the server starts; pattern starts with '/'; no two
  // routes share method and pattern.
  void add(std::string method, std::string pattern, Handler handler);
  void get(std::string pattern, Handler handler) {
    add("GET", std::move(pattern), std::move(handler));
  }
  void post(std::string pattern, Handler handler) {
    add("POST", std::move(pattern), std::move(handler));
  }

  struct Match {
    enum class Kind { kFound, kNotFound, kMethodNotAllowed };
    Kind kind = Kind::kNotFound;
    std::string pattern = "-";                  // the matched pattern ("-" when none matched)
    const Handler* handler = nullptr;           // set for kFound
    std::map<std::string, std::string> params;  // set for kFound
    std::string allow;                          // "GET, POST" for kMethodNotAllowed
  };
  Match match(std::string_view method, std::string_view path) const;

 private:
  struct Route {
    std::string method;
    std::string pattern;
    std::vector<std::string> segments;  // "{name}" marks a placeholder
    int literalCount = 0;
    Handler handler;
  };
  static bool matchSegments(const Route& route, const std::vector<std::string_view>& segments,
                            std::map<std::string, std::string>* params);
  std::vector<Route> m_routes;
};

// Result of running one request through the router on a worker thread.
struct Dispatched {
  Response response;
  std::string route = "-";    // pattern for logs and metrics, never the raw path
  bool handlerThrew = false;  // the handler threw; response is a 500 problem
};

// Routes `request`, runs the handler and turns every failure into a problem response: 404 for
// an unknown path, 405 with Allow for a wrong method, 500 when the handler throws. Never throws.
Dispatched dispatch(const Router& router, Request request);

}  // namespace opcat::server::http
