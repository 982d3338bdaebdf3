#include "sync/merge.h"

#include <gtest/gtest.h>

#include "core/byte_buffer.h"

#include <algorithm>
#include <map>
#include <random>
#include <set>

namespace opcat::sync {
namespace {

const std::string kDeviceA = "aaaaaaaa-0000-4000-8000-000000000001";
const std::string kDeviceB = "bbbbbbbb-0000-4000-8000-000000000002";
const std::string kRecord = "cccccccc-0000-4000-8000-000000000003";

Change edit(const std::string& device, std::uint64_t seq, Hlc hlc, std::uint32_t field,
            const std::string& value, std::vector<FieldVersion> supersedes = {}) {
  Change c;
  c.id = {device, seq};
  c.kind = domain::RecordKind::kFinding;
  c.recordId = kRecord;
  c.hlc = hlc;
  c.authorId = "monitor@" + device.substr(0, 1);
  c.fields.push_back({field, value, hlc, std::move(supersedes)});
  return c;
}

Change remove(const std::string& device, std::uint64_t seq, Hlc hlc,
              std::vector<FieldVersion> seen) {
  Change c;
  c.id = {device, seq};
  c.kind = domain::RecordKind::kFinding;
  c.recordId = kRecord;
  c.hlc = hlc;
  c.deleted = true;
  c.deletedVersions = std::move(seen);
  return c;
}

TEST(MergeTest, ASequentialEditReplacesTheValueItSaw) {
  RecordMergeState s;
  applyChange(s, edit(kDeviceA, 1, Hlc(10), 10, "first"));
  const auto out = applyChange(s, edit(kDeviceB, 1, Hlc(20), 10, "second", {{Hlc(10), kDeviceA}}));
  EXPECT_TRUE(out.applied);
  EXPECT_EQ(out.currentChanged, std::vector<std::uint32_t>{10});
  ASSERT_EQ(s.fields().at(10).size(), 1u);
  EXPECT_EQ(s.current(10)->value, "second");
  EXPECT_TRUE(s.conflictedFields().empty());
}

TEST(MergeTest, ConcurrentEditsKeepBothAndPickTheSameWinnerInAnyOrder) {
  const Change a = edit(kDeviceA, 1, Hlc(30), 10, "Нет вентиляции");
  const Change b = edit(kDeviceB, 1, Hlc(20), 10, "Вентиляция не работает");
  RecordMergeState ab, ba;
  applyChange(ab, a);
  applyChange(ab, b);
  applyChange(ba, b);
  applyChange(ba, a);
  EXPECT_EQ(ab, ba);
  EXPECT_EQ(ab.current(10)->value, "Нет вентиляции") << "greater clock wins";
  ASSERT_EQ(ab.fields().at(10).size(), 2u);
  EXPECT_EQ(ab.fields().at(10)[1].value, "Вентиляция не работает") << "the other is kept";
  EXPECT_EQ(ab.conflictedFields(), std::vector<std::uint32_t>{10});
}

TEST(MergeTest, EqualClocksAreBrokenByDeviceId) {
  RecordMergeState s;
  applyChange(s, edit(kDeviceA, 1, Hlc(5), 10, "from A"));
  applyChange(s, edit(kDeviceB, 1, Hlc(5), 10, "from B"));
  EXPECT_EQ(s.current(10)->value, "from B");
}

TEST(MergeTest, AnEditThatSawBothSidesResolvesTheConflict) {
  RecordMergeState s;
  applyChange(s, edit(kDeviceA, 1, Hlc(30), 10, "a"));
  applyChange(s, edit(kDeviceB, 1, Hlc(20), 10, "b"));
  Change resolve = edit(kDeviceB, 2, Hlc(40), 10, "b, after talking to A");
  stampLocalChange(s, resolve);
  EXPECT_EQ(resolve.fields[0].supersedes.size(), 2u);
  applyChange(s, resolve);
  ASSERT_EQ(s.fields().at(10).size(), 1u);
  EXPECT_EQ(s.current(10)->value, "b, after talking to A");
}

TEST(MergeTest, ASupersededConflictDoesNotComeBackWhateverTheOrder) {
  // A and B edit concurrently; C (on A's device) later replaces A only.
  const Change a = edit(kDeviceA, 1, Hlc(5), 10, "A");
  const Change b = edit(kDeviceB, 1, Hlc(7), 10, "B");
  const Change c = edit(kDeviceA, 2, Hlc(9), 10, "C", {{Hlc(5), kDeviceA}});
  RecordMergeState x, y;
  for (const Change* ch : {&a, &c, &b}) applyChange(x, *ch);
  for (const Change* ch : {&b, &a, &c}) applyChange(y, *ch);
  EXPECT_EQ(x, y);
  ASSERT_EQ(x.fields().at(10).size(), 2u);
  EXPECT_EQ(x.current(10)->value, "C");
  EXPECT_EQ(x.fields().at(10)[1].value, "B");
}

TEST(MergeTest, ReplayingAChangeChangesNothing) {
  RecordMergeState s;
  const Change a = edit(kDeviceA, 1, Hlc(5), 10, "A");
  EXPECT_TRUE(applyChange(s, a).applied);
  const RecordMergeState once = s;
  EXPECT_FALSE(applyChange(s, a).applied);
  EXPECT_EQ(s, once);
  const Change d = remove(kDeviceA, 2, Hlc(6), {{Hlc(5), kDeviceA}});
  EXPECT_TRUE(applyChange(s, d).applied);
  EXPECT_FALSE(applyChange(s, d).applied);
}

TEST(MergeTest, ADeleteThatSawEverythingDeletes) {
  RecordMergeState s;
  applyChange(s, edit(kDeviceA, 1, Hlc(5), 10, "A"));
  Change d = remove(kDeviceB, 1, Hlc(8), {});
  stampLocalChange(s, d);
  const auto out = applyChange(s, d);
  EXPECT_FALSE(out.deletedBefore);
  EXPECT_TRUE(out.deletedAfter);
  EXPECT_TRUE(s.isDeleted());
  EXPECT_FALSE(s.restoredAfterDelete());
  EXPECT_EQ(s.current(10)->value, "A") << "the tombstone keeps the content";
}

TEST(MergeTest, AnEditConcurrentWithADeleteRestoresTheRecordFlaggedInAnyOrder) {
  const Change a = edit(kDeviceA, 1, Hlc(5), 10, "A");
  const Change del = remove(kDeviceB, 1, Hlc(8), {{Hlc(5), kDeviceA}});
  const Change e = edit(kDeviceA, 2, Hlc(7), 11, "new detail", {});
  RecordMergeState x, y;
  for (const Change* ch : {&a, &del, &e}) applyChange(x, *ch);
  for (const Change* ch : {&a, &e, &del}) applyChange(y, *ch);
  EXPECT_EQ(x, y);
  EXPECT_FALSE(x.isDeleted());
  EXPECT_TRUE(x.restoredAfterDelete());
}

TEST(MergeTest, AnEditMadeAfterSeeingTheDeleteClearsTheRestoreFlagInAnyOrder) {
  const Change a = edit(kDeviceA, 1, Hlc(5), 10, "A");
  const Change del = remove(kDeviceB, 1, Hlc(8), {{Hlc(5), kDeviceA}});
  const Change e = edit(kDeviceA, 2, Hlc(7), 11, "new detail", {});
  RecordMergeState seen;
  for (const Change* ch : {&a, &del, &e}) applyChange(seen, *ch);
  ASSERT_TRUE(seen.restoredAfterDelete());
  // The person on device B sees the record back, flagged, and keeps it: saved unchanged, the
  // change has no field, only the delete it saw.
  Change keep;
  keep.id = {kDeviceB, 2};
  keep.recordId = kRecord;
  keep.hlc = Hlc(9);
  keep.authorId = "monitor@b";
  stampLocalChange(seen, keep);
  ASSERT_EQ(keep.seenDeletes, (std::vector<FieldVersion>{{Hlc(8), kDeviceB}}));
  EXPECT_TRUE(applyChange(seen, keep).applied);
  EXPECT_FALSE(seen.restoredAfterDelete());
  EXPECT_FALSE(seen.isDeleted());
  EXPECT_FALSE(applyChange(seen, keep).applied) << "a replayed keep changes nothing";
  // Every causal order gives the same state (the keep comes after the delete it saw, as sync
  // delivers it; the edit made without seeing the delete may come anywhere).
  std::vector<const Change*> order = {&a, &del, &e, &keep};
  std::sort(order.begin(), order.end());
  int causalOrders = 0;
  do {
    const auto at = [&](const Change* c) { return std::find(order.begin(), order.end(), c); };
    if (at(&keep) < at(&del) || at(&del) < at(&a)) continue;
    ++causalOrders;
    RecordMergeState other;
    for (const Change* ch : order) applyChange(other, *ch);
    EXPECT_EQ(other, seen);
  } while (std::next_permutation(order.begin(), order.end()));
  EXPECT_EQ(causalOrders, 4);
}

TEST(MergeTest, VersionsThatAreNoDeleteDoNotGrowTheState) {
  RecordMergeState s;
  applyChange(s, edit(kDeviceA, 1, Hlc(5), 10, "A"));
  const RecordMergeState before = s;
  Change junk = edit(kDeviceB, 1, Hlc(6), 10, "B", {{Hlc(5), kDeviceA}});
  junk.seenDeletes = {{Hlc(1), kDeviceB}, {Hlc(2), kDeviceB}, {Hlc(5), kDeviceA}};
  applyChange(s, junk);
  EXPECT_EQ(s.serialize().size(), [&] {
    RecordMergeState plain = before;
    Change same = junk;
    same.seenDeletes.clear();
    applyChange(plain, same);
    return plain.serialize().size();
  }()) << "no delete was named, nothing is kept of the list";
  EXPECT_FALSE(s.restoredAfterDelete());
}

TEST(MergeTest, ANewDeleteOvertakenByAnUnseenEditFlagsTheRecordAgain) {
  RecordMergeState s;
  applyChange(s, edit(kDeviceA, 1, Hlc(5), 10, "A"));
  applyChange(s, remove(kDeviceB, 1, Hlc(8), {{Hlc(5), kDeviceA}}));
  applyChange(s, edit(kDeviceA, 2, Hlc(7), 10, "A2", {{Hlc(5), kDeviceA}}));
  Change keep = edit(kDeviceB, 2, Hlc(9), 11, "kept");
  stampLocalChange(s, keep);
  applyChange(s, keep);
  ASSERT_FALSE(s.restoredAfterDelete());
  // A second delete, and an edit made without seeing it: back again, and flagged again.
  Change second = remove(kDeviceB, 3, Hlc(12), {});
  stampLocalChange(s, second);
  EXPECT_TRUE(second.seenDeletes.empty()) << "a delete names no seen deletes";
  applyChange(s, second);
  ASSERT_TRUE(s.isDeleted());
  applyChange(s, edit(kDeviceA, 3, Hlc(11), 12, "late", {}));
  EXPECT_FALSE(s.isDeleted());
  EXPECT_TRUE(s.restoredAfterDelete());
}

TEST(MergeTest, UndeletingAfterSeeingTheDeleteIsNotFlagged) {
  RecordMergeState s;
  applyChange(s, edit(kDeviceA, 1, Hlc(5), 10, "A"));
  Change d = remove(kDeviceA, 2, Hlc(6), {});
  stampLocalChange(s, d);
  applyChange(s, d);
  ASSERT_TRUE(s.isDeleted());
  Change undo = edit(kDeviceA, 3, Hlc(7), 10, "A");
  stampLocalChange(s, undo);
  applyChange(s, undo);
  EXPECT_FALSE(s.isDeleted());
  EXPECT_FALSE(s.restoredAfterDelete()) << "a deliberate undelete is not a surprise";
}

TEST(MergeStateTest, KeepsTheDeletesSeenByEditsAndReadsFormat2) {
  RecordMergeState s;
  applyChange(s, edit(kDeviceA, 1, Hlc(5), 10, "A"));
  applyChange(s, remove(kDeviceB, 1, Hlc(8), {{Hlc(5), kDeviceA}}));
  applyChange(s, edit(kDeviceA, 2, Hlc(7), 11, "B"));
  RecordMergeState kept = s;
  Change keep = edit(kDeviceB, 2, Hlc(9), 12, "C");
  stampLocalChange(kept, keep);
  applyChange(kept, keep);
  auto back = RecordMergeState::parse(kept.serialize());
  ASSERT_TRUE(back.isOk());
  EXPECT_EQ(*back, kept);
  EXPECT_FALSE(back->restoredAfterDelete());
  // Format 2, as stored before edits named deletes: format 3 without the last (empty) list.
  std::string v2 = s.serialize();
  ASSERT_EQ(v2.front(), 3);
  ASSERT_EQ(v2.back(), 0);
  v2.front() = 2;
  v2.pop_back();
  auto old = RecordMergeState::parse(v2);
  ASSERT_TRUE(old.isOk());
  EXPECT_EQ(*old, s);
  EXPECT_TRUE(old->restoredAfterDelete());
}

TEST(MergeStateTest, SerializesAndRejectsCorruptBytes) {
  RecordMergeState s;
  applyChange(s, edit(kDeviceA, 1, Hlc(5), 10, "A"));
  applyChange(s, edit(kDeviceB, 1, Hlc(6), 10, "B"));
  applyChange(s, remove(kDeviceB, 2, Hlc(9), {{Hlc(6), kDeviceB}}));
  const std::string bytes = s.serialize();
  auto parsed = RecordMergeState::parse(bytes);
  ASSERT_TRUE(parsed.isOk());
  EXPECT_EQ(*parsed, s);
  for (std::size_t cut = 0; cut < bytes.size(); cut += 7) {
    EXPECT_FALSE(RecordMergeState::parse(bytes.substr(0, cut)).isOk()) << cut;
  }
  EXPECT_FALSE(RecordMergeState::parse(bytes + "x").isOk());
}

TEST(MergeStateTest, LeavesOutTheValuesTheContentHoldsAndTakesThemBack) {
  RecordMergeState s;
  applyChange(s, edit(kDeviceA, 1, Hlc(5), 10, std::string(300, 'a')));
  applyChange(s, edit(kDeviceB, 1, Hlc(6), 10, std::string(300, 'b')));  // open conflict
  applyChange(s, edit(kDeviceA, 2, Hlc(7), 11, std::string(300, 'c')));
  // The content holds the current values of 10 and 11 (not the losing head of 10).
  const std::string b(300, 'b');
  const std::string c(300, 'c');
  const std::vector<std::pair<std::uint32_t, std::string_view>> held = {{10, b}, {11, c}};
  const std::string full = s.serialize();
  const std::string compact = s.serialize(held);
  EXPECT_LT(compact.size() + 600, full.size());  // both held values left out, the loser kept
  EXPECT_GT(compact.size(), 300u);
  auto parsed = RecordMergeState::parse(compact, held);
  ASSERT_TRUE(parsed.isOk());
  EXPECT_EQ(*parsed, s);
  // Without the content it was stored against, the state does not parse rather than losing
  // values silently.
  EXPECT_FALSE(RecordMergeState::parse(compact).isOk());
  const std::vector<std::pair<std::uint32_t, std::string_view>> other = {{10, b}};
  EXPECT_FALSE(RecordMergeState::parse(compact, other).isOk());
  for (std::size_t cut = 0; cut < compact.size(); cut += 5) {
    EXPECT_FALSE(RecordMergeState::parse(compact.substr(0, cut), held).isOk()) << cut;
  }
}

TEST(MergeStateTest, WritesEachIdOnceAndReadsTheOlderFormat) {
  RecordMergeState s;
  for (std::uint32_t field = 1; field <= 12; ++field) {
    applyChange(s, edit(kDeviceA, field, Hlc(field), field, "v"));
  }
  // Format 1 of the same state, as tablets and servers stored it before format 2.
  ByteWriter v1;
  v1.putU8(1);
  v1.putU32(12);
  for (std::uint32_t field = 1; field <= 12; ++field) {
    v1.putU32(field);
    v1.putU32(1);
    v1.putBytes("v");
    v1.putU64(field);
    v1.putBytes(kDeviceA);
    v1.putBytes("monitor@a");
  }
  v1.putU32(0);
  v1.putU32(0);
  auto old = RecordMergeState::parse(v1.bytes());
  ASSERT_TRUE(old.isOk());
  EXPECT_EQ(*old, s);
  // 12 fields of one device: the 36-byte device id and the author are written once, so each
  // field costs 15 bytes (number, count, flags, value, clock, two id indexes) instead of 74;
  // then the three (empty) lists of deletes, versions they saw, and deletes seen by edits.
  EXPECT_LE(s.serialize().size(), 1 + 1 + 37 + 10 + 1 + 12 * 15 + 3);
  EXPECT_LT(s.serialize().size() * 3, v1.bytes().size());
}

// Convergence, randomised: several tablets with wildly wrong clocks edit and delete a few
// records offline, pushing to a server log and pulling from it at random. After everyone pushes
// and pulls, every replica holds the same state, and the heads are exactly the versions written
// minus those some edit replaced: nothing lost, nothing unexpected.
class Simulation {
 public:
  explicit Simulation(std::uint32_t seed) : m_rng(seed) {
    const std::int64_t skews[] = {0, 3LL * 24 * 3600 * 1000, -365LL * 24 * 3600 * 1000, 7};
    for (int i = 0; i < 4; ++i) {
      Replica r;
      r.deviceId = std::string(8, static_cast<char>('a' + i)) + "-0000-4000-8000-00000000000" +
                   std::to_string(i);
      const std::int64_t skew = skews[i];
      r.clock = std::make_unique<HybridClock>([this, skew] { return m_time + skew; });
      m_replicas.push_back(std::move(r));
    }
  }

  void step() {
    m_time += std::uniform_int_distribution<int>(0, 3)(m_rng);
    Replica& r = m_replicas[pick(m_replicas.size())];
    const std::string record = "record-" + std::to_string(pick(3));
    switch (pick(10)) {
      case 0: case 1: case 2: case 3: case 4: case 5: {
        Change c = base(r, record);
        c.fields.push_back({static_cast<std::uint32_t>(10 + pick(3)),
                            "v" + std::to_string(m_written.size()), c.hlc, {}});
        local(r, c);
        m_written.insert({c.fields[0].hlc, r.deviceId});
        break;
      }
      case 6: {
        if (r.records[record].isDeleted()) break;
        Change c = base(r, record);
        c.deleted = true;
        local(r, c);
        break;
      }
      case 7: case 8: push(r); break;
      default: pull(r); break;
    }
  }

  void settle() {
    for (auto& r : m_replicas) push(r);
    for (auto& r : m_replicas) pull(r);
  }

  void expectConverged() {
    for (const auto& r : m_replicas) {
      for (const auto& [id, state] : m_server) {
        ASSERT_EQ(r.records.count(id), 1u) << r.deviceId << " lacks " << id;
        EXPECT_EQ(r.records.at(id), state) << r.deviceId << " differs on " << id;
      }
    }
    std::set<FieldVersion> heads;
    for (const auto& [id, state] : m_server) {
      for (const auto& [number, fieldHeads] : state.fields()) {
        for (const auto& h : fieldHeads) heads.insert(h.version);
      }
    }
    std::set<FieldVersion> expected;
    for (const auto& v : m_written) {
      if (!m_superseded.count(v)) expected.insert(v);
    }
    EXPECT_EQ(heads, expected);
  }

 private:
  struct Replica {
    std::string deviceId;
    std::unique_ptr<HybridClock> clock;
    std::map<std::string, RecordMergeState> records;
    std::vector<Change> outbox;
    std::size_t cursor = 0;
    std::uint64_t seq = 0;
  };

  std::size_t pick(std::size_t n) { return std::uniform_int_distribution<std::size_t>(0, n - 1)(m_rng); }

  Change base(Replica& r, const std::string& record) {
    Change c;
    c.id = {r.deviceId, ++r.seq};
    c.kind = domain::RecordKind::kFinding;
    c.recordId = record;
    c.hlc = r.clock->now();
    return c;
  }

  void local(Replica& r, Change& c) {
    stampLocalChange(r.records[c.recordId], c);
    for (const auto& f : c.fields) m_superseded.insert(f.supersedes.begin(), f.supersedes.end());
    applyChange(r.records[c.recordId], c);
    r.outbox.push_back(c);
  }

  void push(Replica& r) {
    for (const Change& c : r.outbox) {
      applyChange(m_server[c.recordId], c);
      m_log.push_back(c);
    }
    r.outbox.clear();
  }

  void pull(Replica& r) {
    for (; r.cursor < m_log.size(); ++r.cursor) {
      const Change& c = m_log[r.cursor];
      r.clock->observe(c.hlc);
      if (c.id.deviceId == r.deviceId) continue;  // applied locally when it was made
      applyChange(r.records[c.recordId], c);
    }
  }

  std::mt19937 m_rng;
  std::int64_t m_time = 1'764'000'000'000;
  std::vector<Replica> m_replicas;
  std::map<std::string, RecordMergeState> m_server;
  std::vector<Change> m_log;
  std::set<FieldVersion> m_written;
  std::set<FieldVersion> m_superseded;
};

TEST(MergeConvergenceTest, RandomOfflineHistoriesConverge) {
  for (std::uint32_t seed = 1; seed <= 300; ++seed) {
    SCOPED_TRACE("seed " + std::to_string(seed));
    Simulation sim(seed);
    for (int i = 0; i < 300; ++i) sim.step();
    sim.settle();
    sim.expectConverged();
    if (::testing::Test::HasFailure()) break;
  }
}

}  // namespace
}  // namespace opcat::sync
