#include "service/metrics_registry.h"

#include <unistd.h>

#include <charconv>
#include <cmath>
#include <fstream>
#include <stdexcept>

namespace opcat::server {
namespace {

std::string escapeLabelValue(std::string_view value) {
  std::string out;
  out.reserve(value.size());
  for (char c : value) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '"') {
      out += "\\\"";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out;
}

// `name="value",...` without braces, so histograms can append le="...".
std::string renderLabels(const MetricLabels& labels) {
  std::string out;
  for (const auto& [name, value] : labels) {
    if (!out.empty()) out += ',';
    out += name;
    out += "=\"";
    out += escapeLabelValue(value);
    out += '"';
  }
  return out;
}

std::string formatNumber(double value) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value > 0 ? "+Inf" : "-Inf";
  char buffer[64];
  auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, value);
  if (ec != std::errc()) return "NaN";
  return std::string(buffer, end);
}

void appendSample(std::string& out, std::string_view name, const std::string& labels,
                  const std::string& value) {
  out += name;
  if (!labels.empty()) {
    out += '{';
    out += labels;
    out += '}';
  }
  out += ' ';
  out += value;
  out += '\n';
}

std::string joinLabels(const std::string& labels, const std::string& extra) {
  return labels.empty() ? extra : labels + "," + extra;
}

}  // namespace

Histogram::Histogram(std::vector<double> upperBounds)
    : m_bounds(std::move(upperBounds)),
      m_buckets(std::make_unique<std::atomic<std::uint64_t>[]>(m_bounds.size() + 1)) {
  for (std::size_t i = 0; i <= m_bounds.size(); ++i) m_buckets[i].store(0);
}

void Histogram::observe(double value) {
  std::size_t bucket = 0;
  while (bucket < m_bounds.size() && value > m_bounds[bucket]) ++bucket;
  m_buckets[bucket].fetch_add(1, std::memory_order_relaxed);
  m_sum.fetch_add(value, std::memory_order_relaxed);
  m_count.fetch_add(1, std::memory_order_relaxed);
}

std::uint64_t Histogram::cumulativeCount(std::size_t i) const {
  std::uint64_t total = 0;
  for (std::size_t k = 0; k <= i && k <= m_bounds.size(); ++k) {
    total += m_buckets[k].load(std::memory_order_relaxed);
  }
  return total;
}

MetricsRegistry::Family& MetricsRegistry::family(std::string_view name, std::string_view help,
                                                 Kind kind) {
  auto it = m_families.find(name);
  if (it == m_families.end()) {
    it = m_families.emplace(std::string(name), Family{}).first;
    it->second.kind = kind;
    it->second.help = std::string(help);
  } else if (it->second.kind != kind) {
    throw std::logic_error("metric registered twice with different kinds: " + std::string(name));
  }
  return it->second;
}

Counter& MetricsRegistry::counter(std::string_view name, std::string_view help,
                                  const MetricLabels& labels) {
  std::lock_guard lock(m_mutex);
  auto& slot = family(name, help, Kind::kCounter).counters[renderLabels(labels)];
  if (!slot) slot = std::make_unique<Counter>();
  return *slot;
}

Gauge& MetricsRegistry::gauge(std::string_view name, std::string_view help,
                              const MetricLabels& labels) {
  std::lock_guard lock(m_mutex);
  auto& slot = family(name, help, Kind::kGauge).gauges[renderLabels(labels)];
  if (!slot) slot = std::make_unique<Gauge>();
  return *slot;
}

Histogram& MetricsRegistry::histogram(std::string_view name, std::string_view help,
                                      const std::vector<double>& upperBounds,
                                      const MetricLabels& labels) {
  std::lock_guard lock(m_mutex);
  auto& slot = family(name, help, Kind::kHistogram).histograms[renderLabels(labels)];
  if (!slot) slot = std::make_unique<Histogram>(upperBounds);
  return *slot;
}

void MetricsRegistry::gaugeFunction(std::string_view name, std::string_view help,
                                    std::function<double()> read) {
  std::lock_guard lock(m_mutex);
  family(name, help, Kind::kGaugeFunction).read = std::move(read);
}

std::string MetricsRegistry::renderText() const {
  std::lock_guard lock(m_mutex);
  std::string out;
  for (const auto& [name, fam] : m_families) {
    const char* type = fam.kind == Kind::kCounter     ? "counter"
                       : fam.kind == Kind::kHistogram ? "histogram"
                                                      : "gauge";
    out += "# HELP " + name + " " + fam.help + "\n";
    out += "# TYPE " + name + " " + type + "\n";
    switch (fam.kind) {
      case Kind::kCounter:
        for (const auto& [labels, c] : fam.counters) {
          appendSample(out, name, labels, std::to_string(c->value()));
        }
        break;
      case Kind::kGauge:
        for (const auto& [labels, g] : fam.gauges) {
          appendSample(out, name, labels, std::to_string(g->value()));
        }
        break;
      case Kind::kGaugeFunction:
        appendSample(out, name, {}, formatNumber(fam.read ? fam.read() : 0.0));
        break;
      case Kind::kHistogram:
        for (const auto& [labels, h] : fam.histograms) {
          const auto& bounds = h->upperBounds();
          for (std::size_t i = 0; i <= bounds.size(); ++i) {
            const double le = i < bounds.size() ? bounds[i] : HUGE_VAL;
            appendSample(out, name + "_bucket",
                         joinLabels(labels, "le=\"" + formatNumber(le) + "\""),
                         std::to_string(h->cumulativeCount(i)));
          }
          appendSample(out, name + "_sum", labels, formatNumber(h->sum()));
          appendSample(out, name + "_count", labels, std::to_string(h->count()));
        }
        break;
    }
  }
  return out;
}

void registerProcessMetrics(MetricsRegistry& registry, std::string_view version) {
  registry
      .gauge("opcat_build_info", "Build of the running opcat-server (always 1).",
             {{"version", std::string(version)}})
      .set(1);
  registry.gaugeFunction("process_resident_memory_bytes", "Resident memory size in bytes.",
                         [] { return static_cast<double>(processResidentMemoryBytes()); });
}

std::uint64_t processResidentMemoryBytes() {
  std::ifstream statm("/proc/self/statm");
  std::uint64_t sizePages = 0;
  std::uint64_t residentPages = 0;
  if (!(statm >> sizePages >> residentPages)) return 0;
  const long pageSize = sysconf(_SC_PAGESIZE);
  return pageSize > 0 ? residentPages * static_cast<std::uint64_t>(pageSize) : 0;
}

}  // namespace opcat::server
