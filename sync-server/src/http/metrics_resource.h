// GET /metrics: the Prometheus scrape endpoint (text format 0.0.4). It shows counts and timings
// only, never ids or content; even so, when tablets sync tells when visits happen, so it is not
// public: with a configured token digest it needs that bearer token from anyone, without one it
// answers loopback clients only (a Prometheus on the same host).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "http/router.h"
#include "service/metrics_registry.h"

namespace opcat::server::http {

// Why a scrape from `remoteAddress` with this Authorization header (empty when absent) is
// refused, or nullopt when it may read the metrics. `tokenSha256` is the configured hex digest,
// lowercase, or empty.
std::optional<Response> refuseScrape(std::string_view remoteAddress,
                                     std::string_view authorization, std::string_view tokenSha256);

// REQUIRES: `registry` outlives the router.
void addMetricsResource(Router& router, const MetricsRegistry& registry, std::string tokenSha256);

}  // namespace opcat::server::http
