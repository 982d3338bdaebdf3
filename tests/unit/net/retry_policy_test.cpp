#include "net/retry_policy.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <vector>

namespace opcat::net {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

TEST(BackoffTest, CeilingDoublesFromOneSecondUntilFiveMinutesThenStays) {
  Backoff backoff(42);
  std::vector<milliseconds> ceilings;
  for (int i = 0; i < 40; ++i) {
    ceilings.push_back(backoff.ceiling());
    (void)backoff.next();
  }
  EXPECT_EQ(ceilings[0], seconds(1));
  EXPECT_EQ(ceilings[1], seconds(2));
  EXPECT_EQ(ceilings[2], seconds(4));
  EXPECT_EQ(ceilings[8], seconds(256));
  EXPECT_EQ(ceilings[9], seconds(300));
  for (std::size_t i = 1; i < ceilings.size(); ++i) {
    EXPECT_GE(ceilings[i], ceilings[i - 1]) << i;
    if (ceilings[i - 1] < Backoff::kCap) {
      EXPECT_GT(ceilings[i], ceilings[i - 1]) << i;
    }
  }
  EXPECT_EQ(ceilings.back(), seconds(300));
}

TEST(BackoffTest, DelaysStayBetweenHalfASecondAndTheCeilingAndNeverPastFiveMinutes) {
  for (std::uint64_t seed = 1; seed <= 50; ++seed) {
    Backoff backoff(seed);
    for (int i = 0; i < 100; ++i) {
      const milliseconds ceiling = backoff.ceiling();
      const milliseconds delay = backoff.next();
      EXPECT_GE(delay, milliseconds(500)) << "seed " << seed << " failure " << i;
      EXPECT_LE(delay, ceiling) << "seed " << seed << " failure " << i;
      EXPECT_LE(delay, std::chrono::minutes(5)) << "seed " << seed << " failure " << i;
    }
  }
}

TEST(BackoffTest, ManyFailuresDoNotOverflow) {
  Backoff backoff(7);
  for (int i = 0; i < 100000; ++i) (void)backoff.next();
  EXPECT_EQ(backoff.failures(), 100000u);
  EXPECT_EQ(backoff.ceiling(), Backoff::kCap);
  const milliseconds delay = backoff.next();
  EXPECT_GE(delay, milliseconds(500));
  EXPECT_LE(delay, Backoff::kCap);
}

TEST(BackoffTest, DelaysGrowOnAverageWithFailures) {
  // Mean over many seeds of the n-th delay: about (0.5 s + ceiling) / 2, so it must rise.
  std::vector<double> mean(10, 0.0);
  constexpr int kSeeds = 400;
  for (std::uint64_t seed = 0; seed < kSeeds; ++seed) {
    Backoff backoff(seed);
    for (std::size_t n = 0; n < mean.size(); ++n) {
      mean[n] += static_cast<double>(backoff.next().count()) / kSeeds;
    }
  }
  for (std::size_t n = 1; n < mean.size(); ++n) EXPECT_GT(mean[n], mean[n - 1]) << n;
  EXPECT_NEAR(mean[0], 750, 50);        // uniform on [500, 1000]
  EXPECT_NEAR(mean[9], 150250, 15000);  // uniform on [500, 300000]
}

TEST(BackoffTest, JitterSpreadsDevicesThatFailedTogether) {
  // Ten devices failing eight times in step must not all wait the same time.
  std::vector<milliseconds> eighth;
  for (std::uint64_t seed = 100; seed < 110; ++seed) {
    Backoff backoff(seed);
    for (int i = 0; i < 7; ++i) (void)backoff.next();
    eighth.push_back(backoff.next());
  }
  std::sort(eighth.begin(), eighth.end());
  EXPECT_NE(eighth.front(), eighth.back());
  EXPECT_EQ(std::unique(eighth.begin(), eighth.end()) - eighth.begin(), 10);
}

TEST(BackoffTest, SameSeedGivesSameDelays) {
  Backoff a(2024);
  Backoff b(2024);
  for (int i = 0; i < 20; ++i) EXPECT_EQ(a.next(), b.next()) << i;
}

TEST(BackoffTest, ResetAfterSuccessStartsFromOneSecondAgain) {
  Backoff backoff(5);
  for (int i = 0; i < 12; ++i) (void)backoff.next();
  EXPECT_EQ(backoff.ceiling(), Backoff::kCap);
  backoff.reset();
  EXPECT_EQ(backoff.failures(), 0u);
  EXPECT_EQ(backoff.ceiling(), seconds(1));
  const milliseconds delay = backoff.next();
  EXPECT_GE(delay, milliseconds(500));
  EXPECT_LE(delay, seconds(1));
  EXPECT_EQ(backoff.ceiling(), seconds(2));
}

// A clock the test moves by hand.
struct FakeClock {
  std::chrono::steady_clock::time_point now{std::chrono::hours(1000)};
  RequestPacer::Clock function() {
    return [this] { return now; };
  }
};

TEST(RequestPacerTest, NoWaitBeforeTheFirstRequestOrWhileHealthy) {
  FakeClock clock;
  RequestPacer pacer(clock.function());
  EXPECT_EQ(pacer.delayBeforeNext(), milliseconds(0));
  for (int i = 0; i < 5; ++i) {
    pacer.requestStarted();
    clock.now += milliseconds(10);
    pacer.requestFinished(true);
    EXPECT_EQ(pacer.delayBeforeNext(), milliseconds(0)) << i;
  }
}

TEST(RequestPacerTest, AfterAFailureTheNextRequestWaitsUntilOneSecondAfterTheLastStart) {
  FakeClock clock;
  RequestPacer pacer(clock.function());
  pacer.requestStarted();
  clock.now += milliseconds(200);
  pacer.requestFinished(false);
  EXPECT_EQ(pacer.delayBeforeNext(), milliseconds(800));
  clock.now += milliseconds(799);
  EXPECT_EQ(pacer.delayBeforeNext(), milliseconds(1));
  clock.now += milliseconds(1);
  EXPECT_EQ(pacer.delayBeforeNext(), milliseconds(0));
  clock.now += seconds(30);
  EXPECT_EQ(pacer.delayBeforeNext(), milliseconds(0));
}

TEST(RequestPacerTest, RoundsPartialMillisecondsUp) {
  FakeClock clock;
  RequestPacer pacer(clock.function());
  pacer.requestStarted();
  pacer.requestFinished(false);
  clock.now += std::chrono::microseconds(1500);
  EXPECT_EQ(pacer.delayBeforeNext(), milliseconds(999));  // 998.5 ms left, rounded up
}

TEST(RequestPacerTest, AFailingLoopThatObeysThePacerSendsAtMostOnePerSecond) {
  FakeClock clock;
  RequestPacer pacer(clock.function());
  const auto start = clock.now;
  std::vector<std::chrono::steady_clock::time_point> starts;
  while (clock.now - start < seconds(10)) {
    clock.now += pacer.delayBeforeNext();
    pacer.requestStarted();
    starts.push_back(clock.now);
    clock.now += milliseconds(3);  // fails fast, e.g. connection refused
    pacer.requestFinished(false);
  }
  ASSERT_GE(starts.size(), 2u);
  EXPECT_LE(starts.size(), 11u);
  for (std::size_t i = 1; i < starts.size(); ++i) {
    EXPECT_GE(starts[i] - starts[i - 1], seconds(1)) << i;
  }
}

TEST(RequestPacerTest, SuccessDisarmsAndAnotherFailureArmsAgain) {
  FakeClock clock;
  RequestPacer pacer(clock.function(), milliseconds(250));
  pacer.requestStarted();
  pacer.requestFinished(false);
  EXPECT_EQ(pacer.delayBeforeNext(), milliseconds(250));
  pacer.requestStarted();
  pacer.requestFinished(true);
  EXPECT_EQ(pacer.delayBeforeNext(), milliseconds(0));
  clock.now += milliseconds(100);
  pacer.requestStarted();
  clock.now += milliseconds(50);
  pacer.requestFinished(false);
  EXPECT_EQ(pacer.delayBeforeNext(), milliseconds(200));
}

}  // namespace
}  // namespace opcat::net
