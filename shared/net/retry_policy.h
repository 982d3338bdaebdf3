// When to try again after a failed exchange (SYNC.md rule 8): Backoff spaces the attempts of
// one failing sync exponentially with jitter, capped at 5 minutes; RequestPacer is the floor
// under it, so a failing device never sends more than one request per second whatever the
// caller's loop does. Both are plain values owned by one sync loop: not thread-safe.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <random>

namespace opcat::net {

// Exponential back-off with jitter. The n-th consecutive failure (n = 0, 1, ...) has the
// ceiling min(kCap, kBase * 2^n); next() draws the delay uniformly from [kBase / 2, ceiling],
// so devices that failed together do not retry together, and none retries sooner than 0.5 s.
class Backoff {
 public:
  static constexpr std::chrono::milliseconds kBase{1000};
  static constexpr std::chrono::milliseconds kCap{300000};
  static constexpr std::chrono::milliseconds kFloor{kBase / 2};

  // `seed` makes the jitter reproducible in tests; the default draws one from the system.
  explicit Backoff(std::uint64_t seed = randomSeed());

  // The delay to wait after one more failure; each call counts as a failure.
  std::chrono::milliseconds next();
  // After a success: the next failure starts again from kBase.
  void reset();

  // The upper bound of the delay the next call of next() can return.
  std::chrono::milliseconds ceiling() const;
  // Failures counted since construction or the last reset().
  std::uint32_t failures() const { return m_failures; }

  static std::uint64_t randomSeed();

 private:
  std::mt19937_64 m_random;
  std::uint32_t m_failures = 0;
};

// Keeps a failing device to at most one request per `minInterval` (default 1 s), measured
// between the starts of requests. While the last request succeeded there is no wait, so a
// healthy sync with several round trips is not slowed down.
class RequestPacer {
 public:
  using Clock = std::function<std::chrono::steady_clock::time_point()>;

  // `clock` is injectable for tests; the default is std::chrono::steady_clock::now.
  explicit RequestPacer(Clock clock = &std::chrono::steady_clock::now,
                        std::chrono::milliseconds minInterval = std::chrono::seconds(1));

  // How long to wait before the next request may start: zero while healthy or once
  // minInterval has passed since the last start; never more than minInterval.
  std::chrono::milliseconds delayBeforeNext() const;
  // Call right before each request is sent.
  void requestStarted();
  // Call with the outcome of the request last started: any failure (network error, 5xx, 429)
  // arms the pacer; a success disarms it.
  void requestFinished(bool succeeded);

 private:
  Clock m_clock;
  std::chrono::milliseconds m_minInterval;
  std::chrono::steady_clock::time_point m_lastStart{};
  bool m_started = false;
  bool m_failing = false;
};

}  // namespace opcat::net
