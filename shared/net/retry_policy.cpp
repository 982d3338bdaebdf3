#include "net/retry_policy.h"

#include <algorithm>
#include <utility>

namespace opcat::net {

Backoff::Backoff(std::uint64_t seed) : m_random(seed) {}

std::uint64_t Backoff::randomSeed() {
  std::random_device device;
  return (static_cast<std::uint64_t>(device()) << 32) ^ device();
}

std::chrono::milliseconds Backoff::ceiling() const {
  // 2^9 s = 512 s is past the cap already; stop doubling there so nothing overflows.
  const std::uint32_t doublings = std::min<std::uint32_t>(m_failures, 9);
  return std::min(kCap, kBase * (std::int64_t{1} << doublings));
}

std::chrono::milliseconds Backoff::next() {
  const std::chrono::milliseconds upper = ceiling();
  if (m_failures < UINT32_MAX) ++m_failures;
  std::uniform_int_distribution<std::int64_t> jitter(kFloor.count(), upper.count());
  return std::chrono::milliseconds(jitter(m_random));
}

void Backoff::reset() { m_failures = 0; }

RequestPacer::RequestPacer(Clock clock, std::chrono::milliseconds minInterval)
    : m_clock(std::move(clock)), m_minInterval(minInterval) {}

std::chrono::milliseconds RequestPacer::delayBeforeNext() const {
  if (!m_failing || !m_started) return std::chrono::milliseconds(0);
  const auto earliest = m_lastStart + m_minInterval;
  const auto now = m_clock();
  if (now >= earliest) return std::chrono::milliseconds(0);
  // Round up so that waiting the returned time is always enough.
  const auto left = std::chrono::ceil<std::chrono::milliseconds>(earliest - now);
  return std::min(left, m_minInterval);
}

void RequestPacer::requestStarted() {
  m_lastStart = m_clock();
  m_started = true;
}

void RequestPacer::requestFinished(bool succeeded) { m_failing = !succeeded; }

}  // namespace opcat::net
