// Test-only routes of opcat-server-test-routes: a handler that blocks (as SQLite with fsync
// will), one that throws, and one with path parameters and a principal.
#include <algorithm>
#include <chrono>
#include <stdexcept>
#include <string>
#include <thread>

#include "http/router.h"
#include "service/json_text.h"

namespace opcat::server::testing {

void addTestRoutes(http::Router& router) {
  // GET /test/sleep/{ms}: blocks a worker thread for at most 10 s.
  router.get("/test/sleep/{ms}", [](const http::Request& request) {
    const unsigned long ms = std::min(std::stoul(request.param("ms")), 10000UL);
    std::this_thread::sleep_for(std::chrono::milliseconds(ms));
    return http::Response::json(200, "{\"slept_ms\":" + std::to_string(ms) + "}");
  });
  // GET /test/throw: the exception text is a canary that must reach neither log nor client.
  router.get("/test/throw", [](const http::Request&) -> http::Response {
    throw std::runtime_error("canary-exception-text-7f3a");
  });
  // GET /test/teams/{teamId}/visits/{visitId}: echoes the parameters; sets a principal.
  router.get("/test/teams/{teamId}/visits/{visitId}", [](const http::Request& request) {
    http::Response response =
        http::Response::json(200, "{\"team\":" + jsonQuote(request.param("teamId")) +
                                      ",\"visit\":" + jsonQuote(request.param("visitId")) + "}");
    response.principal = "device-test-1";
    return response;
  });
  // POST /test/echo-size: the size of the body received.
  router.post("/test/echo-size", [](const http::Request& request) {
    return http::Response::json(200, "{\"size\":" + std::to_string(request.body.size()) + "}");
  });
  // GET /test/bytes/{n}: a text body of exactly n bytes (at most 16 MiB), for size limits.
  router.get("/test/bytes/{n}", [](const http::Request& request) {
    const unsigned long n = std::min(std::stoul(request.param("n")), 16UL * 1024 * 1024);
    return http::Response::text(200, std::string(n, 'x'), "text/plain");
  });
}

}  // namespace opcat::server::testing
