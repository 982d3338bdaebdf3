#include "http/metrics_resource.h"

namespace opcat::server::http {

void addMetricsResource(Router& router, const MetricsRegistry& registry) {
  router.get("/metrics", [&registry](const Request&) {
    return Response::text(200, registry.renderText(), MetricsRegistry::kContentType);
  });
}

}  // namespace opcat::server::http
