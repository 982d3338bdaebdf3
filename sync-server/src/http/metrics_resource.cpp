#include "http/metrics_resource.h"

#include <sodium.h>

#include "http/problem.h"
#include "service/device_auth.h"
#include "service/server_config.h"

namespace opcat::server::http {

std::optional<Response> refuseScrape(std::string_view remoteAddress,
                                     std::string_view authorization,
                                     std::string_view tokenSha256) {
  if (tokenSha256.empty()) {
    if (isLoopbackAddress(remoteAddress)) return std::nullopt;
    return problemResponse(ProblemCode::kForbidden,
                           "metrics are served to loopback clients only; set "
                           "metrics_token_sha256 to scrape from elsewhere");
  }
  if (const auto token = bearerToken(authorization)) {
    const std::string digest = secretHash(*token);
    if (digest.size() == tokenSha256.size() &&
        sodium_memcmp(digest.data(), tokenSha256.data(), digest.size()) == 0) {
      return std::nullopt;
    }
  }
  Response refusal = problemResponse(ProblemCode::kUnauthenticated, "metrics need their token");
  refusal.headers.emplace_back("WWW-Authenticate", "Bearer");
  return refusal;
}

void addMetricsResource(Router& router, const MetricsRegistry& registry, std::string tokenSha256) {
  router.get("/metrics", [&registry, token = std::move(tokenSha256)](const Request& request) {
    if (auto refusal = refuseScrape(request.remoteAddress,
                                    request.header("Authorization").value_or(""), token)) {
      return *refusal;
    }
    return Response::text(200, registry.renderText(), MetricsRegistry::kContentType);
  });
}

}  // namespace opcat::server::http
