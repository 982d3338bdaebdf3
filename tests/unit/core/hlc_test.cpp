#include "sync/hlc.h"

#include <gtest/gtest.h>

namespace opcat::sync {
namespace {

TEST(HlcTest, PacksWallClockAndCounterInOrder) {
  const Hlc a = Hlc::fromParts(1'700'000'000'000, 5);
  EXPECT_EQ(a.wallMs(), 1'700'000'000'000);
  EXPECT_EQ(a.logical(), 5u);
  EXPECT_LT(a, Hlc::fromParts(1'700'000'000'000, 6));
  EXPECT_LT(Hlc::fromParts(1'700'000'000'000, 65535), Hlc::fromParts(1'700'000'000'001, 0));
}

TEST(HybridClockTest, StrictlyIncreasesWhenTheWallClockStandsStill) {
  HybridClock clock([] { return std::int64_t{1000}; });
  Hlc previous = clock.now();
  for (int i = 0; i < 70'000; ++i) {  // more than the 16-bit counter holds
    const Hlc next = clock.now();
    ASSERT_GT(next, previous);
    previous = next;
  }
}

TEST(HybridClockTest, StrictlyIncreasesWhenTheWallClockGoesBack) {
  std::int64_t wall = 5'000;
  HybridClock clock([&] { return wall; });
  const Hlc first = clock.now();
  wall = 1'000;  // the monitor fixed a clock that was ahead
  EXPECT_GT(clock.now(), first);
}

TEST(HybridClockTest, OrdersLocalEventsAfterObservedRemoteOnes) {
  // A tablet a year behind receives a change stamped by a correct one.
  const std::int64_t yearMs = 365LL * 24 * 3600 * 1000;
  HybridClock behind([&] { return 1'700'000'000'000 - yearMs; });
  const Hlc remote = Hlc::fromParts(1'700'000'000'000, 3);
  behind.observe(remote);
  EXPECT_GT(behind.now(), remote);
}

TEST(HybridClockTest, ResumesFromTheLastStoredTimestamp) {
  const Hlc stored = Hlc::fromParts(9'000, 2);
  HybridClock clock([] { return std::int64_t{10}; }, stored);
  EXPECT_GT(clock.now(), stored);
}

}  // namespace
}  // namespace opcat::sync
