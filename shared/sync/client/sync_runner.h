// SyncRunner: keeps running the sync engine until one run succeeds, waiting between failed runs
// as SYNC.md rule 8 asks: exponential back-off with jitter capped at 5 minutes (net::Backoff),
// and never more than one attempt a second while failing (net::RequestPacer). Failures that a
// retry cannot fix (TLS, a pin mismatch, a refused token, a damaged reply, the store) end it at
// once, so an intercepted connection is not knocked on again and again. Sleeping and time are
// injected, so the schedule is tested without waiting.
#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <functional>

#include "core/status.h"
#include "net/retry_policy.h"
#include "sync/client/sync_engine.h"

namespace opcat::sync {

class SyncRunner {
 public:
  using Sleep = std::function<void(std::chrono::milliseconds)>;
  using Clock = std::function<std::chrono::steady_clock::time_point()>;

  // All references must outlive the runner. `sleep` waits (the app: an interruptible wait;
  // tests: advance a fake clock); `clock` is the time the deadline is measured in.
  SyncRunner(SyncEngine& engine, net::Backoff& backoff, net::RequestPacer& pacer, Sleep sleep,
             Clock clock = &std::chrono::steady_clock::now);

  // Runs SyncEngine::syncOnce() until it succeeds, and returns that run's report (the back-off
  // starts again from its base then). A retryable failure (isRetryable) is followed by a wait of
  // Backoff::next(), stretched to the pacer's floor, and another run. Returns the failure:
  //  - at once when it is not retryable;
  //  - when the next wait would end past `deadline` from now (the failure is then retryable:
  //    the caller may try again later, the back-off keeps counting);
  //  - after stop() was called, once the run in progress has ended.
  // Everything a failed run did (changes acknowledged, pages pulled) is kept by the engine.
  Result<SyncReport> syncUntilDone(std::chrono::milliseconds deadline);

  // Ends syncUntilDone() after the current run; call the transport's cancel() as well to cut a
  // request in flight short. Safe from any thread; lasts until clearStop().
  void stop() { m_stopRequested = true; }
  void clearStop() { m_stopRequested = false; }

  // Runs started by this runner so far.
  std::size_t attempts() const { return m_attempts; }

  // Whether a failed run may succeed later without anyone changing anything: the network
  // (connect, timeout, cancelled, a broken exchange) and the server's 5xx answers. TLS and pin
  // failures, a refused token (401), other 4xx answers and local store errors are not.
  static bool isRetryable(const Status& failure);

 private:
  SyncEngine& m_engine;
  net::Backoff& m_backoff;
  net::RequestPacer& m_pacer;
  Sleep m_sleep;
  Clock m_clock;
  std::atomic<bool> m_stopRequested{false};
  std::size_t m_attempts = 0;
};

}  // namespace opcat::sync
