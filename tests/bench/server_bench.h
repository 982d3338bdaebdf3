// What the server benchmarks share: the server binary they measure, the ~1 KB finding they push,
// and reading the server's own counters from /metrics.
#pragma once

#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <random>
#include <string>
#include <string_view>
#include <thread>

#include "bench_util.h"
#include "core/uuid.h"
#include "support/http_client.h"
#include "support/sample_records.h"

namespace opcat::bench {

// The opcat-server of this CMake build: a Release build dir gives an optimised server.
inline std::string defaultServerBinary() { return OPCAT_BENCH_SERVER_BINARY; }

// A finding of about 1 KB encoded, shaped like the peer benchmark's 1058-byte documents: a
// 60-character title and a 400-character description of mixed Russian and English words.
inline domain::Finding benchFinding(std::mt19937& rng, const std::string& visitId, int i) {
  auto f = testing::sampleFinding(visitId, static_cast<domain::ThematicArea>(1 + i % 6),
                                  static_cast<domain::Severity>(1 + i % 4));
  f.title = mixedText(rng, 60);
  f.description = mixedText(rng, 400);
  f.recordedAtMs = testing::kSampleTimeMs + std::int64_t{i} * 37'000;
  return f;
}

// The server's traffic counters (opcat_http_bytes_*_total: headers and bodies, as the peer
// harness counts them on its server).
struct WireCounters {
  double bytesIn = 0;   // client to server
  double bytesOut = 0;  // server to client
};

// The value of the first sample of `metric` (no labels) in a Prometheus text page; -1 if absent.
inline double prometheusValue(std::string_view page, std::string_view metric) {
  std::size_t at = 0;
  while ((at = page.find(metric, at)) != std::string_view::npos) {
    const bool lineStart = at == 0 || page[at - 1] == '\n';
    const std::size_t after = at + metric.size();
    if (lineStart && after < page.size() && page[after] == ' ') {
      return std::strtod(std::string(page.substr(after + 1, 32)).c_str(), nullptr);
    }
    at = after;
  }
  return -1;
}

inline WireCounters scrapeWire(testing::HttpClient& http, const std::string& baseUrl) {
  const testing::HttpResponse page = http.get(baseUrl + "/metrics");
  return {prometheusValue(page.body, "opcat_http_bytes_received_total"),
          prometheusValue(page.body, "opcat_http_bytes_sent_total")};
}

// Measures what a phase moved on the wire by the server's counters. A scrape counts itself only
// in the next one, so the first scrape is taken twice and its own size subtracted. The server
// counts an exchange just after its last byte is written, so each scrape waits a moment for the
// requests before it to be counted. Not for timed sections.
class WireMeter {
 public:
  explicit WireMeter(std::string baseUrl) : m_baseUrl(std::move(baseUrl)) {}
  void start() {
    settle();
    const WireCounters first = scrapeWire(m_http, m_baseUrl);
    settle();
    m_start = scrapeWire(m_http, m_baseUrl);
    m_scrape = {m_start.bytesIn - first.bytesIn, m_start.bytesOut - first.bytesOut};
  }
  WireCounters stop() {
    settle();
    const WireCounters end = scrapeWire(m_http, m_baseUrl);
    return {end.bytesIn - m_start.bytesIn - m_scrape.bytesIn,
            end.bytesOut - m_start.bytesOut - m_scrape.bytesOut};
  }

 private:
  static void settle() { std::this_thread::sleep_for(std::chrono::milliseconds(20)); }

  std::string m_baseUrl;
  testing::HttpClient m_http;
  WireCounters m_start, m_scrape;
};

}  // namespace opcat::bench
