// MetricsRegistry: the process's Prometheus metrics. Series are created on first use and live as
// long as the registry; updating one is a relaxed atomic operation, so any thread may do it.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace opcat::server {

using MetricLabels = std::vector<std::pair<std::string, std::string>>;

class Counter {
 public:
  void inc(std::uint64_t n = 1) { m_value.fetch_add(n, std::memory_order_relaxed); }
  std::uint64_t value() const { return m_value.load(std::memory_order_relaxed); }

 private:
  std::atomic<std::uint64_t> m_value{0};
};

class Gauge {
 public:
  void add(std::int64_t delta) { m_value.fetch_add(delta, std::memory_order_relaxed); }
  void set(std::int64_t value) { m_value.store(value, std::memory_order_relaxed); }
  std::int64_t value() const { return m_value.load(std::memory_order_relaxed); }

 private:
  std::atomic<std::int64_t> m_value{0};
};

// Cumulative histogram with fixed upper bounds (and the implicit +Inf bucket).
class Histogram {
 public:
  // REQUIRES: upperBounds strictly increasing.
  explicit Histogram(std::vector<double> upperBounds);
  void observe(double value);

  const std::vector<double>& upperBounds() const { return m_bounds; }
  // Observations <= upperBounds()[i]; i == upperBounds().size() is the +Inf bucket.
  std::uint64_t cumulativeCount(std::size_t i) const;
  std::uint64_t count() const { return m_count.load(std::memory_order_relaxed); }
  double sum() const { return m_sum.load(std::memory_order_relaxed); }

 private:
  std::vector<double> m_bounds;
  std::unique_ptr<std::atomic<std::uint64_t>[]> m_buckets;  // not cumulative; last is +Inf
  std::atomic<std::uint64_t> m_count{0};
  std::atomic<double> m_sum{0.0};
};

class MetricsRegistry {
 public:
  static constexpr const char* kContentType = "text/plain; version=0.0.4; charset=utf-8";

  // The series `name{labels}`, created on first use; the reference stays valid for the life of
  // the registry, so callers on hot paths may keep it.
  // REQUIRES: a name is always used with one kind, one help text and the same label names.
  Counter& counter(std::string_view name, std::string_view help, const MetricLabels& labels = {});
  Gauge& gauge(std::string_view name, std::string_view help, const MetricLabels& labels = {});
  Histogram& histogram(std::string_view name, std::string_view help,
                       const std::vector<double>& upperBounds, const MetricLabels& labels = {});
  // A gauge read when the metrics are rendered (e.g. memory use). `read` must be thread-safe.
  void gaugeFunction(std::string_view name, std::string_view help, std::function<double()> read);

  // Every series in the Prometheus text exposition format 0.0.4, families sorted by name.
  std::string renderText() const;

 private:
  enum class Kind { kCounter, kGauge, kHistogram, kGaugeFunction };
  struct Family {
    Kind kind = Kind::kCounter;
    std::string help;
    std::map<std::string, std::unique_ptr<Counter>> counters;  // key: rendered labels
    std::map<std::string, std::unique_ptr<Gauge>> gauges;
    std::map<std::string, std::unique_ptr<Histogram>> histograms;
    std::function<double()> read;
  };
  Family& family(std::string_view name, std::string_view help, Kind kind);

  mutable std::mutex m_mutex;
  std::map<std::string, Family, std::less<>> m_families;
};

// Registers opcat_build_info{version} and process_resident_memory_bytes.
void registerProcessMetrics(MetricsRegistry& registry, std::string_view version);

// Resident set size of this process in bytes, from /proc/self/statm; 0 when unreadable.
std::uint64_t processResidentMemoryBytes();

}  // namespace opcat::server
