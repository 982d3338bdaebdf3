#include "service/http_metrics.h"

#include <string>

#include "service/log.h"

namespace opcat::server {
namespace {

// Request durations from 5 ms to 30 s: a sync over a bad mobile link can take long.
const std::vector<double> kDurationBuckets = {0.005, 0.01, 0.025, 0.05, 0.1,  0.25,
                                              0.5,   1.0,  2.5,   5.0,  10.0, 30.0};

}  // namespace

HttpMetrics::HttpMetrics(MetricsRegistry& registry)
    : m_registry(registry),
      m_connectionsOpen(registry.gauge("opcat_http_connections_open", "Open client connections.")),
      m_connectionsRejected(
          registry.counter("opcat_http_connections_rejected_total",
                           "Connections closed at once because max_connections were open.")),
      m_bytesReceived(registry.counter("opcat_http_bytes_received_total",
                                       "Request bytes received (headers and bodies).")),
      m_bytesSent(registry.counter("opcat_http_bytes_sent_total",
                                   "Response bytes sent (headers and bodies).")) {}

void HttpMetrics::requestFinished(std::string_view route, std::string_view method, unsigned status,
                                  double seconds) {
  m_registry
      .counter("opcat_http_requests_total", "HTTP requests by route pattern, method and status.",
               {{"route", std::string(route)},
                {"method", std::string(knownMethodOrOther(method))},
                {"status", std::to_string(status)}})
      .inc();
  m_registry
      .histogram("opcat_http_request_duration_seconds",
                 "Time from the first request byte to the last response byte.", kDurationBuckets,
                 {{"route", std::string(route)}})
      .observe(seconds);
}

}  // namespace opcat::server
