#include "service/rate_limiter.h"

#include <algorithm>

namespace opcat::server {

bool RateLimiter::allow(std::string_view key, std::int64_t nowMs) {
  std::lock_guard lock(m_mutex);
  if (m_buckets.size() >= kMaxKeys && m_buckets.find(std::string(key)) == m_buckets.end()) {
    // Forget buckets that have refilled completely: they carry no information.
    std::erase_if(m_buckets, [&](const auto& entry) {
      return entry.second.tokens + static_cast<double>(nowMs - entry.second.atMs) * m_perMs >=
             m_burst;
    });
    if (m_buckets.size() >= kMaxKeys) return false;
  }
  auto [it, inserted] = m_buckets.try_emplace(std::string(key), Bucket{m_burst, nowMs});
  Bucket& b = it->second;
  b.tokens = std::min(m_burst, b.tokens + static_cast<double>(nowMs - b.atMs) * m_perMs);
  b.atMs = nowMs;
  if (b.tokens < 1.0) return false;
  b.tokens -= 1.0;
  return true;
}

}  // namespace opcat::server
