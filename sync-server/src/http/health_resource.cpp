#include "http/health_resource.h"

namespace opcat::server::http {

void addHealthResource(Router& router) {
  router.get("/healthz", [](const Request&) { return Response::json(200, R"({"status":"ok"})"); });
}

}  // namespace opcat::server::http
