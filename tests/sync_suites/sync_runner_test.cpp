// SyncRunner's retry schedule, deterministically: a real store and engine over a fake transport
// that fails as scripted, a fake clock that only sleeping moves, and a seeded Backoff. Counts
// the requests and the sleeps asked for: waits drawn from the back-off and capped at 5 minutes,
// at least a second between failing requests, a reset after success, and no retry at all for
// TLS, pin and credential failures.
#include "sync/client/sync_runner.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <deque>
#include <memory>
#include <optional>
#include <variant>
#include <vector>

#include "net/net_error.h"
#include "net/retry_policy.h"
#include "storage/tablet_store.h"
#include "support/temp_dir.h"

namespace opcat::testing {
namespace {

using namespace std::chrono_literals;
using std::chrono::milliseconds;
using TimePoint = std::chrono::steady_clock::time_point;

constexpr std::uint64_t kSeed = 20251124;

// What the fake server does with one request: a network failure, or an HTTP status.
using Step = std::variant<net::NetError, long>;

class FakeTransport final : public net::HttpTransport {
 public:
  explicit FakeTransport(const TimePoint& now) : m_now(now) {}

  // The next `count` requests meet `step`; requests past the script succeed (an empty 200, a
  // pull page with nothing in it).
  void script(Step step, int count = 1) {
    for (int i = 0; i < count; ++i) m_script.push_back(step);
  }

  Result<net::HttpReply> send(const net::HttpRequest&) override {
    const bool fails =
        !m_script.empty() && (std::holds_alternative<net::NetError>(m_script.front()) ||
                              std::get<long>(m_script.front()) != 200);
    m_requests.push_back({m_now, fails});
    if (m_script.empty()) return net::HttpReply{200, {}, {}};
    const Step step = m_script.front();
    m_script.pop_front();
    if (const auto* error = std::get_if<net::NetError>(&step)) {
      return net::netError(*error, "https://sync.test:443 scripted failure");
    }
    return net::HttpReply{std::get<long>(step), {}, {}};
  }
  void cancel() override {}

  struct Request {
    TimePoint at;
    bool failed;
  };
  const std::vector<Request>& requests() const { return m_requests; }

 private:
  const TimePoint& m_now;
  std::deque<Step> m_script;
  std::vector<Request> m_requests;
};

class SyncRunnerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    storage::StoreOptions options;
    options.kdf = crypto::Argon2Params::fastForTests();
    auto store = storage::TabletStore::create(m_temp.path() / "tablet", "сынақ фразасы", options);
    ASSERT_TRUE(store.isOk()) << store.status().toString();
    m_store = std::move(store).value();
    m_engine = std::make_unique<sync::SyncEngine>(
        *m_store, m_transport,
        sync::SyncEndpoint{"https://sync.test", "token", {}, {}, {}, {}, {}});
    m_runner = std::make_unique<sync::SyncRunner>(
        *m_engine, m_backoff, m_pacer, [this](milliseconds d) { sleep(d); },
        [this] { return m_now; });
  }

  void sleep(milliseconds d) {
    m_sleeps.push_back(d);
    m_now += d;
  }

  // What a fresh Backoff(kSeed) draws for `failures` consecutive failures.
  static std::vector<milliseconds> backoffDraws(int failures) {
    net::Backoff twin(kSeed);
    std::vector<milliseconds> out;
    for (int i = 0; i < failures; ++i) out.push_back(twin.next());
    return out;
  }

  // The sleeps a runner owes for those failures: each draw, then what the pacer adds to make a
  // full second since the last attempt started (requests take no time on the fake clock).
  static std::vector<milliseconds> expectedSleeps(int failures) {
    std::vector<milliseconds> out;
    for (const milliseconds wait : backoffDraws(failures)) {
      out.push_back(wait);
      if (wait < 1s) out.push_back(1s - wait);
    }
    return out;
  }

  TimePoint m_now{std::chrono::hours(1)};
  TempDir m_temp;
  std::unique_ptr<storage::TabletStore> m_store;
  FakeTransport m_transport{m_now};
  net::Backoff m_backoff{kSeed};
  net::RequestPacer m_pacer{[this] { return m_now; }};
  std::unique_ptr<sync::SyncEngine> m_engine;
  std::unique_ptr<sync::SyncRunner> m_runner;
  std::vector<milliseconds> m_sleeps;
};

TEST_F(SyncRunnerTest, ConnectFailuresAreRetriedWithGrowingWaitsCappedAtFiveMinutes) {
  constexpr int kFailures = 30;
  m_transport.script(net::NetError::kConnect, kFailures);
  auto report = m_runner->syncUntilDone(24h);
  ASSERT_TRUE(report.isOk()) << report.status().toString();
  EXPECT_EQ(m_runner->attempts(), static_cast<std::size_t>(kFailures + 1));
  EXPECT_EQ(m_transport.requests().size(), static_cast<std::size_t>(kFailures + 1));

  // Exactly the back-off's draws (and the pacer's top-ups), nothing else...
  EXPECT_EQ(m_sleeps, expectedSleeps(kFailures));
  for (const milliseconds wait : m_sleeps) EXPECT_LE(wait, 5min);
  // ...and those grow: each within a ceiling that doubles from 1 s up to the 5-minute cap,
  // which the late draws reach.
  const std::vector<milliseconds> draws = backoffDraws(kFailures);
  milliseconds ceiling = net::Backoff::kBase;
  for (std::size_t n = 0; n < draws.size(); ++n) {
    EXPECT_GE(draws[n], net::Backoff::kFloor) << "failure " << n;
    EXPECT_LE(draws[n], ceiling) << "failure " << n;
    ceiling = std::min<milliseconds>(ceiling * 2, 5min);
  }
  EXPECT_GT(*std::max_element(draws.end() - 10, draws.end()), 2min);
  EXPECT_LT(*std::max_element(draws.begin(), draws.begin() + 3), 5s);
  const auto& requests = m_transport.requests();
  for (std::size_t i = 1; i < requests.size(); ++i) {
    EXPECT_GE(requests[i].at - requests[i - 1].at, 1s) << "request " << i;
  }
}

TEST_F(SyncRunnerTest, ServerErrorsTimeoutsCutRepliesAndCancelsAreRetried) {
  m_transport.script(503L);
  m_transport.script(500L);
  m_transport.script(net::NetError::kTimeout);
  m_transport.script(net::NetError::kProtocol);
  m_transport.script(net::NetError::kCancelled);
  auto report = m_runner->syncUntilDone(1h);
  ASSERT_TRUE(report.isOk()) << report.status().toString();
  EXPECT_EQ(m_runner->attempts(), 6u);
  EXPECT_EQ(m_sleeps, expectedSleeps(5));
}

TEST_F(SyncRunnerTest, TlsPinAndCredentialFailuresStopAtOnce) {
  const std::vector<Step> fatal = {
      net::NetError::kPinMismatch, net::NetError::kTls, net::NetError::kTooLarge, 401L, 403L, 400L};
  for (const Step& step : fatal) {
    net::RequestPacer pacer([this] { return m_now; });
    sync::SyncRunner runner(
        *m_engine, m_backoff, pacer, [this](milliseconds d) { sleep(d); },
        [this] { return m_now; });
    const std::size_t before = m_transport.requests().size();
    m_transport.script(step);
    auto report = runner.syncUntilDone(1h);
    ASSERT_FALSE(report.isOk());
    EXPECT_FALSE(sync::SyncRunner::isRetryable(report.status())) << report.status().toString();
    EXPECT_EQ(runner.attempts(), 1u) << report.status().toString();
    EXPECT_EQ(m_transport.requests().size(), before + 1);
    EXPECT_TRUE(m_sleeps.empty()) << report.status().toString();
  }
  m_transport.script(net::NetError::kPinMismatch);
  EXPECT_EQ(net::netErrorOf(m_runner->syncUntilDone(1h).status()), net::NetError::kPinMismatch);
}

TEST_F(SyncRunnerTest, SuccessResetsTheBackoff) {
  m_transport.script(net::NetError::kConnect, 8);
  ASSERT_TRUE(m_runner->syncUntilDone(24h).isOk());
  EXPECT_EQ(m_backoff.failures(), 0u);
  m_sleeps.clear();
  m_transport.script(net::NetError::kConnect);
  ASSERT_TRUE(m_runner->syncUntilDone(24h).isOk());
  ASSERT_FALSE(m_sleeps.empty());
  EXPECT_LE(m_sleeps.front(), net::Backoff::kBase) << "the first failure's ceiling again";
}

TEST_F(SyncRunnerTest, TheDeadlineEndsRetryingWithTheLastFailure) {
  m_transport.script(net::NetError::kConnect, 1000);
  const TimePoint start = m_now;
  auto report = m_runner->syncUntilDone(10min);
  ASSERT_FALSE(report.isOk());
  EXPECT_EQ(net::netErrorOf(report.status()), net::NetError::kConnect);
  EXPECT_TRUE(sync::SyncRunner::isRetryable(report.status())) << "the caller may try later";
  EXPECT_LE(m_now - start, 10min);
  EXPECT_GT(m_runner->attempts(), 3u);
  EXPECT_LT(m_runner->attempts(), 20u);
}

TEST_F(SyncRunnerTest, StopEndsTheRunAfterTheCurrentWait) {
  sync::SyncRunner* self = nullptr;
  sync::SyncRunner runner(
      *m_engine, m_backoff, m_pacer,
      [&](milliseconds d) {
        sleep(d);
        self->stop();  // as the app does when it goes to the background
      },
      [this] { return m_now; });
  self = &runner;
  m_transport.script(net::NetError::kConnect, 100);
  auto report = runner.syncUntilDone(24h);
  ASSERT_FALSE(report.isOk());
  EXPECT_EQ(runner.attempts(), 1u);
  EXPECT_EQ(m_sleeps.size(), 1u);
}

TEST(SyncRunnerClassification, WhatIsRetryable) {
  using sync::SyncRunner;
  EXPECT_TRUE(SyncRunner::isRetryable(net::netError(net::NetError::kConnect, "x")));
  EXPECT_TRUE(SyncRunner::isRetryable(net::netError(net::NetError::kTimeout, "x")));
  EXPECT_TRUE(SyncRunner::isRetryable(net::netError(net::NetError::kCancelled, "x")));
  EXPECT_TRUE(SyncRunner::isRetryable(net::netError(net::NetError::kProtocol, "x")));
  EXPECT_FALSE(SyncRunner::isRetryable(net::netError(net::NetError::kTls, "x")));
  EXPECT_FALSE(SyncRunner::isRetryable(net::netError(net::NetError::kPinMismatch, "x")));
  EXPECT_FALSE(SyncRunner::isRetryable(net::netError(net::NetError::kTooLarge, "x")));
  EXPECT_FALSE(SyncRunner::isRetryable(Status::error(StatusCode::kCorrupt, "damaged reply")));
  EXPECT_FALSE(SyncRunner::isRetryable(Status::error(StatusCode::kUnauthenticated, "401")));
  EXPECT_FALSE(SyncRunner::isRetryable(Status::ok()));
}

}  // namespace
}  // namespace opcat::testing
