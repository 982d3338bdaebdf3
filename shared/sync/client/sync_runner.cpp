#include "sync/client/sync_runner.h"

#include <utility>

#include "net/net_error.h"

namespace opcat::sync {

SyncRunner::SyncRunner(SyncEngine& engine, net::Backoff& backoff, net::RequestPacer& pacer,
                       Sleep sleep, Clock clock)
    : m_engine(engine),
      m_backoff(backoff),
      m_pacer(pacer),
      m_sleep(std::move(sleep)),
      m_clock(std::move(clock)) {}

bool SyncRunner::isRetryable(const Status& failure) {
  if (failure.isOk()) return false;
  if (const auto error = net::netErrorOf(failure)) {
    switch (*error) {
      case net::NetError::kConnect:
      case net::NetError::kTimeout:
      case net::NetError::kCancelled:  // unless stop() asked for it; see syncUntilDone
      case net::NetError::kProtocol:   // a connection cut mid-reply reads as a broken exchange
        return true;
      case net::NetError::kTls:
      case net::NetError::kPinMismatch:
      case net::NetError::kTooLarge:
        return false;
    }
    return false;
  }
  // The engine reports the server's 5xx answers, and only those, as kUnavailable (a 401 is
  // kUnauthenticated, other 4xx kInvalidArgument, a damaged reply kCorrupt).
  return failure.code() == StatusCode::kUnavailable;
}

Result<SyncReport> SyncRunner::syncUntilDone(std::chrono::milliseconds deadline) {
  const auto end = m_clock() + deadline;
  for (;;) {
    // While failing, attempts start at least the pacer's interval apart, whatever the back-off
    // drew (its floor is below the pacer's).
    const std::chrono::milliseconds pace = m_pacer.delayBeforeNext();
    if (pace.count() > 0) m_sleep(pace);
    m_pacer.requestStarted();
    ++m_attempts;
    Result<SyncReport> report = m_engine.syncOnce();
    m_pacer.requestFinished(report.isOk());
    if (report.isOk()) {
      m_backoff.reset();
      return report;
    }
    if (m_stopRequested || !isRetryable(report.status())) return report.status();
    const std::chrono::milliseconds wait = m_backoff.next();
    if (m_clock() + wait > end) return report.status();
    m_sleep(wait);
    if (m_stopRequested) return report.status();
  }
}

}  // namespace opcat::sync
