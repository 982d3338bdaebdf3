#include "sync/hlc.h"

#include <algorithm>
#include <chrono>
#include <utility>

namespace opcat::sync {

HybridClock::HybridClock(WallClock wallClock, Hlc last)
    : m_wallClock(std::move(wallClock)), m_last(last) {}

Hlc HybridClock::now() {
  const std::int64_t physical = std::max<std::int64_t>(m_wallClock(), 0);
  if (physical > m_last.wallMs()) {
    m_last = Hlc::fromParts(physical, 0);
  } else if (m_last.logical() < Hlc::kLogicalMask) {
    m_last = Hlc(m_last.packed() + 1);
  } else {
    // 65,535 events in one millisecond: borrow the next millisecond rather than wrap around.
    m_last = Hlc::fromParts(m_last.wallMs() + 1, 0);
  }
  return m_last;
}

void HybridClock::observe(Hlc remote) {
  if (remote > m_last) m_last = remote;
}

std::int64_t HybridClock::systemWallClockMs() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

}  // namespace opcat::sync
