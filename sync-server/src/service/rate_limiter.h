// A token bucket per key (remote address, user name): at most `burst` attempts at once,
// refilled at `perMinute`. Bounds enrollment and sign-in guessing. Thread-safe.
#pragma once

#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

namespace opcat::server {

class RateLimiter {
 public:
  RateLimiter(double burst, double perMinute) : m_burst(burst), m_perMs(perMinute / 60'000.0) {}

  // True if an attempt for `key` at `nowMs` is allowed (and counts it).
  bool allow(std::string_view key, std::int64_t nowMs);

 private:
  struct Bucket {
    double tokens = 0;
    std::int64_t atMs = 0;
  };
  static constexpr std::size_t kMaxKeys = 100'000;  // bounded memory under a spray of addresses
  double m_burst;
  double m_perMs;
  std::mutex m_mutex;
  std::unordered_map<std::string, Bucket> m_buckets;
};

}  // namespace opcat::server
