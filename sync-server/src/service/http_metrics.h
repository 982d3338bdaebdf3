// HttpMetrics: the HTTP layer's metric names in one place, so the server, the dashboards and the
// tests agree on them. Label values are bounded (route patterns, known methods, status codes),
// never raw paths, so a client cannot create unbounded series.
#pragma once

#include <cstdint>
#include <string_view>

#include "service/metrics_registry.h"

namespace opcat::server {

class HttpMetrics {
 public:
  explicit HttpMetrics(MetricsRegistry& registry);

  // One request answered (or abandoned with a logged status). `route` is the pattern or "-".
  void requestFinished(std::string_view route, std::string_view method, unsigned status,
                       double seconds);
  void bytesReceived(std::uint64_t n) { m_bytesReceived.inc(n); }
  void bytesSent(std::uint64_t n) { m_bytesSent.inc(n); }
  void connectionOpened() { m_connectionsOpen.add(1); }
  void connectionClosed() { m_connectionsOpen.add(-1); }
  // A connection closed at once because max_connections were open.
  void connectionRejected() { m_connectionsRejected.inc(); }

 private:
  MetricsRegistry& m_registry;
  Gauge& m_connectionsOpen;
  Counter& m_connectionsRejected;
  Counter& m_bytesReceived;
  Counter& m_bytesSent;
};

}  // namespace opcat::server
