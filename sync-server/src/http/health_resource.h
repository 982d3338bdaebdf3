// GET /healthz: liveness for load balancers and monitoring. No authentication and no data.
#pragma once

#include "http/router.h"

namespace opcat::server::http {

void addHealthResource(Router& router);

}  // namespace opcat::server::http
