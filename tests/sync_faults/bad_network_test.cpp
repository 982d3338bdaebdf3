// Terrible mobile links (SYNC.md rules 1-4 and 8): two tablets with offline changes sync through
// a TcpProxy each, which adds latency, throttles some runs to 5 KB/s, cuts connections at
// random byte offsets in either direction and hangs others, with the production retry loop
// (SyncRunner: net::Backoff + net::RequestPacer) until done. Fifty seeded runs, each its own
// test, so ctest runs them in parallel. Every run must converge with nothing lost: both tablets
// and a fresh one pulling the server directly hold the same findings with the content their
// authors last wrote, the concurrent edit of one shared finding shows as the same conflict on
// both, and the server's log holds each change once. On the wire: no request during a back-off
// wait, and a failing device never opens more than two connections in any second.
//
// Two more tests check the retry schedule itself: its delays (exponential, jittered, capped at
// 5 minutes, on a fake clock) and, in real time, one request per second at most while failing.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <iostream>
#include <mutex>
#include <random>
#include <set>
#include <thread>

#include "fault_tablet.h"
#include "net/retry_policy.h"
#include "storage/outbox.h"
#include "storage/repositories.h"
#include "support/sample_records.h"
#include "support/server_process.h"
#include "support/tcp_proxy.h"
#include "support/temp_dir.h"
#include "sync/client/sync_endpoint.h"
#include "sync/client/sync_runner.h"
#include "sync/codec/record_codec.h"

namespace opcat::testing {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

constexpr int kRuns = 50;
constexpr std::uint64_t kSeed = 20251126;

// Short enough that a hung connection is given up within seconds.
net::CurlOptions impatientCurl() {
  net::CurlOptions options;
  options.connectTimeout = 3s;
  options.lowSpeedBytesPerSecond = 100;
  options.lowSpeedTime = 2s;
  return options;
}

// One HTTP exchange as the tablet saw it.
struct Exchange {
  Clock::time_point start, end;
  bool ok = false;  // a reply below 500 (the runner retries only network failures and 5xx)
};

// Records every exchange of the transport it wraps.
class RecordingTransport final : public net::HttpTransport {
 public:
  explicit RecordingTransport(net::HttpTransport& inner) : m_inner(inner) {}
  Result<net::HttpReply> send(const net::HttpRequest& request) override {
    const auto start = Clock::now();
    auto reply = m_inner.send(request);
    std::lock_guard lock(m_mutex);
    m_log.push_back({start, Clock::now(), reply.isOk() && reply->status < 500});
    return reply;
  }
  void cancel() override { m_inner.cancel(); }
  std::vector<Exchange> log() const {
    std::lock_guard lock(m_mutex);
    return m_log;
  }

 private:
  net::HttpTransport& m_inner;
  mutable std::mutex m_mutex;
  std::vector<Exchange> m_log;
};

// A back-off wait the runner asked for: its length and the failures counted when it was drawn.
struct Wait {
  milliseconds delay;
  std::uint32_t failures = 0;
  bool backoff = false;  // false: a top-up to the pacer's one-second floor
  Clock::time_point at;
};

// A tablet behind its own faulty proxy, with the production retry loop.
struct Side {
  FaultTablet tablet;
  std::unique_ptr<TcpProxy> proxy;
  std::unique_ptr<RecordingTransport> recording;
  std::unique_ptr<sync::SyncEngine> engine;  // through the proxy
  net::Backoff backoff;
  net::RequestPacer pacer;
  std::unique_ptr<sync::SyncRunner> runner;
  std::vector<Wait> waits;
  std::size_t lastAttempts = 0;
  std::map<std::string, domain::Finding> written;  // own findings, last content
  std::string error;

  explicit Side(std::uint64_t seed) : backoff(seed) {}

  // Routes the tablet through `proxy_` with SyncRunner. Waits are recorded and really slept.
  void connect(std::unique_ptr<TcpProxy> proxy_) {
    proxy = std::move(proxy_);
    auto endpoint = sync::loadEndpoint(*tablet.store);
    if (!endpoint) throw std::runtime_error(endpoint.status().toString());
    endpoint->serverUrl = proxy->url();
    recording = std::make_unique<RecordingTransport>(*tablet.transport);
    engine = std::make_unique<sync::SyncEngine>(*tablet.store, *recording, *endpoint);
    runner = std::make_unique<sync::SyncRunner>(*engine, backoff, pacer, [this](milliseconds d) {
      // The first wait after an attempt is the back-off's; a second one is the pacer's.
      const bool isBackoff = runner->attempts() != lastAttempts;
      lastAttempts = runner->attempts();
      waits.push_back({d, backoff.failures(), isBackoff, Clock::now()});
      std::this_thread::sleep_for(d);
    });
  }

  // Syncs until the outbox is empty, then, once every side has pushed, once more to pull what
  // the others pushed last.
  void run(Clock::time_point deadline, std::atomic<int>& pushedCount, int sides) {
    auto until = [&] { return std::chrono::duration_cast<milliseconds>(deadline - Clock::now()); };
    for (;;) {
      auto report = runner->syncUntilDone(until());
      if (!report) {
        error = "sync gave up: " + report.status().toString();
        ++pushedCount;  // let the other side finish and report
        return;
      }
      auto pending = storage::Outbox(*tablet.store).pendingCount();
      if (!pending || Clock::now() > deadline) {
        error = pending ? "the outbox did not empty before the deadline" : pending.status().toString();
        ++pushedCount;
        return;
      }
      if (*pending == 0) break;
    }
    ++pushedCount;
    while (pushedCount < sides) std::this_thread::sleep_for(10ms);
    auto last = runner->syncUntilDone(until());
    if (!last) error = "final pull gave up: " + last.status().toString();
  }
};

// A run's faults, drawn from its seed.
struct RunPlan {
  TcpProxy::Faults faults;
  std::size_t findingsPerTablet = 0;
  bool throttled = false;
};

RunPlan planRun(int run, int side) {
  std::mt19937_64 rng(kSeed + static_cast<std::uint64_t>(run) * 7919u +
                      static_cast<std::uint64_t>(side));
  RunPlan plan;
  const milliseconds latencies[] = {0ms, 2ms, 10ms, 40ms};
  plan.faults.latency = latencies[rng() % 4];
  plan.throttled = run % 8 == 5;
  plan.findingsPerTablet = plan.throttled ? 8 : scaled(100 + rng() % 150);
  if (plan.throttled) plan.faults.bytesPerSecond = 5 * 1024;
  // A tablet keeps one connection alive for its whole sync, so faults are drawn per connection
  // and are frequent, in a bad patch of one to three faulty connections: each failure doubles
  // the back-off ceiling, and a hang costs the ~2-7 s libcurl needs to notice it (its speed is
  // a 5-second average).
  plan.faults.cutProbability = 0.6 + static_cast<double>(rng() % 31) / 100.0;  // 60–90 %
  plan.faults.hangProbability = 0.05 + static_cast<double>(rng() % 11) / 100.0;  // 5–15 %
  plan.faults.maxFaults = 1 + rng() % 3;
  plan.faults.withinBytes = 1600 * plan.findingsPerTablet + 4096;
  return plan;
}

class BadNetworkTest : public ::testing::TestWithParam<int> {
 protected:
  void SetUp() override {
    m_seeded = seedServerData(m_temp / "server");
    ServerProcess::Options options;
    options.dataDir = m_temp / "server";
    m_server = std::make_unique<ServerProcess>(options);
  }

  TempDir m_temp{"opcat-badnet"};
  SeededData m_seeded;
  std::unique_ptr<ServerProcess> m_server;
};

domain::Finding findingBy(const std::string& visitId, const std::string& monitorId,
                          std::mt19937& rng, const std::string& label) {
  auto f = sampleFinding(visitId, static_cast<domain::ThematicArea>(1 + rng() % 6),
                         static_cast<domain::Severity>(1 + rng() % 4));
  f.authorMonitorId = monitorId;
  f.title = "Находка " + label;
  return f;
}

TEST_P(BadNetworkTest, TwoTabletsConvergeWithNothingLost) {
  const int run = GetParam();
  const auto started = Clock::now();
  const std::string monitors[] = {m_seeded.monitorA, m_seeded.monitorA2};
  std::vector<std::unique_ptr<Side>> sides;
  std::vector<RunPlan> plans;
  for (int s = 0; s < 2; ++s) {
    auto side = std::make_unique<Side>(kSeed + static_cast<std::uint64_t>(run * 2 + s));
    side->tablet = makeFaultTablet(m_temp / ("tablet" + std::to_string(s)), m_temp / "server",
                                   m_seeded, monitors[s], m_server->url(), impatientCurl());
    plans.push_back(planRun(run, s));
    sides.push_back(std::move(side));
  }

  // A finding both tablets hold before going offline, then edit concurrently.
  std::mt19937 sharedRng(static_cast<std::uint32_t>(run));
  auto shared = findingBy(m_seeded.visit1, monitors[0], sharedRng, "общая");
  ASSERT_TRUE(storage::FindingRepository(*sides[0]->tablet.store).save(shared, monitors[0]).isOk());
  for (auto& side : sides) {
    auto report = side->tablet.engine->syncOnce();  // straight to the server, no faults
    ASSERT_TRUE(report.isOk()) << report.status().toString();
  }

  // Offline work: new findings, some edited again, and the shared one edited on both.
  for (int s = 0; s < 2; ++s) {
    Side& side = *sides[static_cast<std::size_t>(s)];
    storage::FindingRepository repo(*side.tablet.store);
    std::mt19937 rng(static_cast<std::uint32_t>(kSeed) + static_cast<std::uint32_t>(run * 2 + s));
    std::vector<domain::Finding> batch;
    for (std::size_t i = 0; i < plans[static_cast<std::size_t>(s)].findingsPerTablet; ++i) {
      batch.push_back(findingBy(m_seeded.visit1, monitors[s], rng,
                                std::to_string(s) + "-" + std::to_string(i)));
    }
    ASSERT_TRUE(repo.saveAll(batch, monitors[s]).isOk());
    for (std::size_t i = 0; i < batch.size(); i += 5) {
      batch[i].title += ", уточнено";
      batch[i].severity = domain::Severity::kCritical;
      ASSERT_TRUE(repo.save(batch[i], monitors[s]).isOk());
    }
    for (auto& f : batch) side.written[f.id] = f;
    auto mine = shared;
    mine.title = s == 0 ? "Окна заварены" : "Нет естественного освещения";
    ASSERT_TRUE(repo.save(mine, monitors[s]).isOk());
  }

  // Online through the faulty links.
  for (int s = 0; s < 2; ++s) {
    sides[static_cast<std::size_t>(s)]->connect(std::make_unique<TcpProxy>(
        m_server->port(), plans[static_cast<std::size_t>(s)].faults,
        kSeed ^ static_cast<std::uint64_t>(run * 2 + s)));
  }
  const auto deadline = Clock::now() + 90s;
  std::atomic<int> pushed{0};
  std::vector<std::thread> threads;
  for (auto& side : sides) {
    threads.emplace_back([&, s = side.get()] { s->run(deadline, pushed, 2); });
  }
  for (auto& t : threads) t.join();
  for (auto& side : sides) ASSERT_TRUE(side->error.empty()) << side->error;

  // Converged, nothing lost.
  auto first = findingsOf(*sides[0]->tablet.store, m_seeded.visit1);
  ASSERT_TRUE(first.isOk()) << first.status().toString();
  ASSERT_TRUE(first->count(shared.id));
  Replica expected;
  for (auto& side : sides) {
    for (const auto& [id, f] : side->written) expected[id] = codec::encode(f);
  }
  expected[shared.id] = first->at(shared.id);  // either edit may be current; the same everywhere
  for (std::size_t s = 0; s < sides.size(); ++s) {
    auto replica = findingsOf(*sides[s]->tablet.store, m_seeded.visit1);
    ASSERT_TRUE(replica.isOk());
    EXPECT_EQ(differences(expected, *replica), "") << "tablet " << s;
    EXPECT_EQ(*storage::Outbox(*sides[s]->tablet.store).pendingCount(), 0);
    auto conflicted = sides[s]->tablet.store->conflictedRecords();
    ASSERT_TRUE(conflicted.isOk());
    ASSERT_EQ(conflicted->size(), 1u) << "tablet " << s;
    EXPECT_EQ((*conflicted)[0].id, shared.id);
  }
  FaultTablet fresh = makeFaultTablet(m_temp / "fresh", m_temp / "server", m_seeded,
                                      m_seeded.monitorA, m_server->url());
  ASSERT_TRUE(fresh.engine->syncOnce().isOk());
  auto server = findingsOf(*fresh.store, m_seeded.visit1);
  ASSERT_TRUE(server.isOk());
  EXPECT_EQ(differences(expected, *server), "") << "the server's state";

  const ServerLog serverLog = readServerLog(m_temp / "server");
  std::set<std::pair<std::string, std::uint64_t>> logged;
  std::size_t duplicated = 0;
  for (const auto& entry : serverLog.entries) {
    if (!logged.insert({entry.change.id.deviceId, entry.change.id.sequence}).second) ++duplicated;
  }
  EXPECT_EQ(duplicated, 0u);

  // The retry schedule on the wire.
  std::size_t failures = 0, waitsTotal = 0, maxAcceptsPerSecond = 0;
  std::uint32_t maxFailures = 0;
  for (std::size_t s = 0; s < sides.size(); ++s) {
    Side& side = *sides[s];
    for (const Wait& w : side.waits) {
      ++waitsTotal;
      if (!w.backoff) {
        EXPECT_LE(w.delay, 1000ms) << "a pacer top-up is never more than a second";
        continue;
      }
      maxFailures = std::max(maxFailures, w.failures);
      const auto ceiling = std::min<milliseconds>(
          net::Backoff::kCap, net::Backoff::kBase * (std::int64_t{1} << std::min(w.failures - 1, 9u)));
      EXPECT_GE(w.delay, net::Backoff::kFloor);
      EXPECT_LE(w.delay, ceiling) << "after " << w.failures << " failures";
    }
    // Nothing reaches the proxy while the tablet waits out a back-off.
    const auto requests = side.proxy->requestStarts();
    for (const Wait& w : side.waits) {
      for (const auto& r : requests) {
        EXPECT_FALSE(r > w.at && r < w.at + w.delay) << "a request during a wait of "
                                                      << w.delay.count() << " ms";
      }
    }
    const auto log = side.recording->log();
    for (const auto& e : log) failures += e.ok ? 0 : 1;
    const auto accepts = side.proxy->acceptTimes();
    for (std::size_t i = 0; i < accepts.size(); ++i) {
      std::size_t inWindow = 0;
      for (std::size_t j = i; j < accepts.size() && accepts[j] < accepts[i] + 1s; ++j) ++inWindow;
      maxAcceptsPerSecond = std::max(maxAcceptsPerSecond, inWindow);
    }
  }
  // Each failure burns a connection; the pacer keeps the next attempt a second after the last
  // one started, so a window of one second holds a failed attempt's connection and at most one
  // more.
  EXPECT_LE(maxAcceptsPerSecond, 2u);
  const auto stats0 = sides[0]->proxy->stats(), stats1 = sides[1]->proxy->stats();
  std::cout << "[ bad network " << run << " ] " << expected.size() << " findings, latency "
            << plans[0].faults.latency.count() << "/" << plans[1].faults.latency.count()
            << " ms, " << (plans[0].throttled ? "5 KB/s, " : "")
            << "cut " << plans[0].faults.cutProbability << "/" << plans[1].faults.cutProbability
            << ", hang " << plans[0].faults.hangProbability << "/"
            << plans[1].faults.hangProbability << ", at most " << plans[0].faults.maxFaults << "/"
            << plans[1].faults.maxFaults << " faults: " << stats0.cuts + stats1.cuts << " cuts, "
            << stats0.hangs + stats1.hangs << " hangs, " << failures << " failed requests, "
            << waitsTotal << " waits (max " << maxFailures << " failures in a row), "
            << stats0.bytesUp + stats1.bytesUp << " B up, " << stats0.bytesDown + stats1.bytesDown
            << " B down, " << stats0.accepted + stats1.accepted << " connections (max "
            << maxAcceptsPerSecond << " in a second); converged in "
            << std::chrono::duration<double>(Clock::now() - started).count() << " s\n";
}

INSTANTIATE_TEST_SUITE_P(Seeded, BadNetworkTest, ::testing::Range(0, kRuns),
                         [](const ::testing::TestParamInfo<int>& param) {
                           return "run" + std::to_string(param.param);
                         });

// A link that fails every exchange at once.
TcpProxy::Faults deadLink() {
  TcpProxy::Faults faults;
  faults.cutProbability = 1.0;
  faults.withinBytes = 1;
  return faults;
}

class RetryScheduleTest : public BadNetworkTest {};

TEST_F(RetryScheduleTest, DelaysGrowExponentiallyWithJitterUpToFiveMinutes) {
  Side side(kSeed);
  side.tablet = makeFaultTablet(m_temp / "tablet", m_temp / "server", m_seeded,
                                m_seeded.monitorA, m_server->url(), impatientCurl());
  ASSERT_TRUE(storage::FindingRepository(*side.tablet.store)
                  .save(sampleFinding(m_seeded.visit1), m_seeded.monitorA)
                  .isOk());
  side.connect(std::make_unique<TcpProxy>(m_server->port(), deadLink(), kSeed));
  // A fake clock: the runner's waits advance it instead of sleeping, so two hours of retries
  // take a moment (each attempt still goes through the proxy and fails for real).
  auto now = Clock::now();
  std::vector<milliseconds> delays;
  net::RequestPacer pacer([&] { return now; });
  sync::SyncRunner runner(*side.engine, side.backoff, pacer,
                          [&](milliseconds d) {
                            if (side.backoff.failures() > delays.size()) delays.push_back(d);
                            now += d;
                          },
                          [&] { return now; });
  auto result = runner.syncUntilDone(2h);
  ASSERT_FALSE(result.isOk());
  ASSERT_GE(delays.size(), 20u) << "two hours of back-off hold more than 20 attempts";
  for (std::size_t n = 0; n < delays.size(); ++n) {
    const auto ceiling = std::min<milliseconds>(
        net::Backoff::kCap, net::Backoff::kBase * (std::int64_t{1} << std::min<std::size_t>(n, 9)));
    EXPECT_GE(delays[n], 500ms) << n;
    EXPECT_LE(delays[n], ceiling) << n;
  }
  // Exponential: the ceilings double, and the delays drawn under them follow (on average).
  auto meanOf = [&](std::size_t from, std::size_t to) {
    double sum = 0;
    for (std::size_t i = from; i < to; ++i) sum += static_cast<double>(delays[i].count());
    return sum / static_cast<double>(to - from);
  };
  EXPECT_GT(meanOf(4, 6), 2 * meanOf(0, 2));
  EXPECT_GT(meanOf(6, 8), 2 * meanOf(2, 4));
  // Capped: past nine failures nothing exceeds five minutes, and the delays reach near it.
  const auto longest = *std::max_element(delays.begin(), delays.end());
  EXPECT_LE(longest, 300000ms);
  EXPECT_GT(longest, 150000ms);
  // Jittered: the delays under the cap are not all the same.
  std::set<std::int64_t> distinct;
  for (std::size_t n = 9; n < delays.size(); ++n) distinct.insert(delays[n].count());
  EXPECT_GT(distinct.size(), (delays.size() - 9) / 2);
  std::cout << "[ retry schedule ] " << delays.size() << " failures, delays (ms):";
  for (auto d : delays) std::cout << ' ' << d.count();
  std::cout << "; proxy connections " << side.proxy->stats().accepted << "\n";
}

TEST_F(RetryScheduleTest, AFailingDeviceSendsAtMostOneRequestASecond) {
  Side side(kSeed + 1);
  side.tablet = makeFaultTablet(m_temp / "tablet", m_temp / "server", m_seeded,
                                m_seeded.monitorA, m_server->url(), impatientCurl());
  ASSERT_TRUE(storage::FindingRepository(*side.tablet.store)
                  .save(sampleFinding(m_seeded.visit1), m_seeded.monitorA)
                  .isOk());
  side.connect(std::make_unique<TcpProxy>(m_server->port(), deadLink(), kSeed));
  // Real time: the link is dead for four seconds (three failures at least: the first two
  // back-off ceilings are 1 and 2 s), then heals.
  Clock::time_point healedAt;
  std::thread healer([&] {
    std::this_thread::sleep_for(4s);
    healedAt = Clock::now();
    side.proxy->setFaults({});
  });
  auto result = side.runner->syncUntilDone(60s);
  healer.join();
  ASSERT_TRUE(result.isOk()) << result.status().toString();
  // While the link was dead every request failed; after it healed, one attempt did the sync.
  std::vector<Clock::time_point> requests;
  for (const auto& r : side.proxy->requestStarts()) {
    if (r < healedAt || requests.empty() || requests.back() < healedAt) requests.push_back(r);
  }
  ASSERT_GE(requests.size(), 4u);
  for (std::size_t i = 1; i < requests.size(); ++i) {
    // The pacer counts from the start of the attempt, a little before its request leaves.
    EXPECT_GE(requests[i] - requests[i - 1], 990ms) << "request " << i;
  }
  // Counted with the same 10 ms allowance as above: the pacer spaces attempts 1 s apart, and a
  // request leaves its attempt a few ms late, so two may sit 995 ms apart at the proxy.
  std::size_t maxPerSecond = 0;
  for (std::size_t i = 0; i < requests.size(); ++i) {
    std::size_t n = 0;
    for (std::size_t j = i; j < requests.size() && requests[j] < requests[i] + 990ms; ++j) ++n;
    maxPerSecond = std::max(maxPerSecond, n);
  }
  EXPECT_EQ(maxPerSecond, 1u);
  EXPECT_EQ(side.proxy->stats().accepted, requests.size()) << "one connection per failure";
  std::cout << "[ pacing ] " << requests.size() - 1 << " failed requests at the proxy over "
            << std::chrono::duration<double>(requests.back() - requests.front()).count()
            << " s, at most " << maxPerSecond << " in any second, then one attempt synced\n";
}

}  // namespace
}  // namespace opcat::testing
