// GET /metrics: the Prometheus scrape endpoint (text format 0.0.4). It shows counts and timings
// only, never ids or content.
#pragma once

#include "http/router.h"
#include "service/metrics_registry.h"

namespace opcat::server::http {

// REQUIRES: `registry` outlives the router.
void addMetricsResource(Router& router, const MetricsRegistry& registry);

}  // namespace opcat::server::http
