// Convergence under random offline work (SYNC.md "How it is proven"): 3-5 tablets of one team
// record findings, observations, interviews and attachments in a visit, edit random fields
// (sometimes the same field on two tablets between syncs), delete, and sync at random while
// some stay partitioned for many steps. After every tablet has synced until nothing moves:
//  (a) every tablet and the server hold the same digest of the visit's records (content, heads,
//      merge state, deleted flags);
//  (b) every value a tablet wrote is a head on every replica unless a later edit replaced it
//      knowingly, and (c) no head exists that nobody wrote (ChangeOracle);
//  and each tablet flags exactly the records the oracle says hold a conflict.
// One server and five enrolled tablets serve every seed; each seed works in a visit of its own.
//
// A seed draws 3-5 of the tablets and 60-150 steps; in each step every one of them works (create,
// edit, delete, keep a record brought back after a delete, attach) or syncs.
// OPCAT_SUITE_SEEDS=N runs N seeds (default 200, split over the four Shard tests);
// OPCAT_SUITE_SEED=S runs seed S alone. A failure names its seed.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <memory>
#include <set>
#include <span>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "change_oracle.h"
#include "core/uuid.h"
#include "record_edits.h"
#include "seeded_server.h"
#include "storage/attachment_store.h"
#include "storage/database.h"
#include "storage/outbox.h"
#include "storage/repositories.h"
#include "suite_tablet.h"
#include "support/sample_records.h"
#include "support/server_process.h"
#include "support/store_digest.h"
#include "support/temp_dir.h"

namespace opcat::testing {
namespace {

constexpr int kTablets = 5;
constexpr int kShards = 4;
constexpr std::uint64_t kDefaultSeeds = 200;
constexpr int kMaxFinalRounds = 6;

std::uint64_t envNumber(const char* name, std::uint64_t fallback) {
  const char* text = std::getenv(name);
  return text != nullptr && *text != '\0' ? std::strtoull(text, nullptr, 10) : fallback;
}

std::vector<std::uint64_t> seedsOfShard(int shard) {
  if (const char* one = std::getenv("OPCAT_SUITE_SEED"); one != nullptr && *one != '\0') {
    const std::uint64_t seed = std::strtoull(one, nullptr, 10);
    if (seed % kShards == static_cast<std::uint64_t>(shard)) return {seed};
    return {};
  }
  std::vector<std::uint64_t> seeds;
  const std::uint64_t count = envNumber("OPCAT_SUITE_SEEDS", kDefaultSeeds);
  for (std::uint64_t s = static_cast<std::uint64_t>(shard); s < count; s += kShards) {
    seeds.push_back(s);
  }
  return seeds;
}

struct CreatedRecord {
  domain::RecordKind kind;
  std::string id;
};

// The server, its five tablets and the visits still unused, shared by the seeds of a process.
struct World {
  TempDir temp{fastScratchPrefix("opcat-convergence")};
  SeededData data;
  std::vector<std::string> visits;  // one per seed
  std::size_t nextVisit = 0;
  std::unique_ptr<ServerProcess> server;
  std::vector<SuiteTablet> tablets;
  ChangeOracle everything;  // every change of every seed, for the store-wide checks
  std::size_t steps = 0, syncs = 0, conflicts = 0, flagged = 0, deletedLive = 0, kept = 0;

  World() {
    const auto dir = temp.path() / "server";
    data = seedServerData(dir);
    const std::uint64_t seeds = std::getenv("OPCAT_SUITE_SEED") != nullptr
                                    ? 1
                                    : envNumber("OPCAT_SUITE_SEEDS", kDefaultSeeds);
    visits = planVisits(dir, data.team1, data.institution, static_cast<int>(seeds));
    const std::vector<std::string> extra = issueCodes(dir, data.monitorA, kTablets - 3);
    ServerProcess::Options options;
    options.dataDir = dir;
    server = std::make_unique<ServerProcess>(options);
    const std::vector<std::string> codes = {data.codeA, data.codeA2, data.codeSpare, extra[0],
                                            extra[1]};
    for (int t = 0; t < kTablets; ++t) {
      const std::string name = "t" + std::to_string(t);
      tablets.push_back(
          makeTablet(temp.path() / name, name, server->url(), codes[static_cast<std::size_t>(t)]));
    }
  }
};

class Convergence : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { s_world = new World(); }
  static void TearDownTestSuite() {
    delete s_world;
    s_world = nullptr;
  }
  void runShard(int shard);
  static World* s_world;
};
World* Convergence::s_world = nullptr;

// One seed: random work, then the final syncs and every check. Returns the problems found.
class SeedRun {
 public:
  SeedRun(World& world, std::uint64_t seed)
      : m_world(world), m_seed(seed), m_rng(seed * 0x9E3779B97F4A7C15ULL + 1) {
    m_visit = world.visits.at(world.nextVisit++);
  }

  std::vector<std::string> run();

 private:
  SuiteTablet& tablet(int t) { return m_world.tablets[static_cast<std::size_t>(t)]; }
  int draw(int below) { return static_cast<int>(m_rng() % static_cast<std::uint64_t>(below)); }
  std::string tag(int t) {
    return "t" + std::to_string(t) + "·s" + std::to_string(m_seed) + "·" + std::to_string(++m_tags);
  }
  void fail(const std::string& what) { m_problems.push_back(what); }
  bool check(const Status& s, const std::string& what) {
    if (!s.isOk()) fail(what + ": " + s.toString());
    return s.isOk();
  }

  void act(int t);
  void create(int t);
  void edit(int t, bool concurrently);
  void syncTablet(int t, bool* moved = nullptr);
  void finalSyncs();
  void verify();

  World& m_world;
  std::uint64_t m_seed;
  Rng m_rng;
  std::string m_visit;
  ChangeOracle m_oracle;
  std::vector<CreatedRecord> m_records;
  std::vector<int> m_active;
  std::vector<int> m_partitionedUntil = std::vector<int>(kTablets, 0);
  int m_step = 0;
  int m_tags = 0;
  std::vector<std::string> m_problems;
};

std::vector<std::string> SeedRun::run() {
  m_active = {0, 1, 2, 3, 4};
  std::shuffle(m_active.begin(), m_active.end(), m_rng);
  m_active.resize(static_cast<std::size_t>(3 + draw(3)));
  // Each step, every tablet of the seed (in a random order) either works or syncs.
  const int steps = 60 + draw(91);
  // In half the seeds one tablet works offline for most of the visit, syncing only at the end.
  if (draw(2) == 0) {
    m_partitionedUntil[static_cast<std::size_t>(m_active.front())] = steps * (3 + draw(7)) / 10;
  }
  std::vector<int> order = m_active;
  for (m_step = 0; m_step < steps && m_problems.empty(); ++m_step) {
    std::shuffle(order.begin(), order.end(), m_rng);
    for (const int t : order) {
      // Partitions: now and then a tablet loses the network for 5-40 steps.
      auto& until = m_partitionedUntil[static_cast<std::size_t>(t)];
      if (draw(100) < 3) until = std::max(until, m_step + 5 + draw(36));
      if (m_step < until || draw(100) < 70) {
        act(t);
      } else {
        syncTablet(t);
      }
      ++m_world.steps;
    }
  }
  if (m_problems.empty()) finalSyncs();
  if (m_problems.empty()) verify();
  return m_problems;
}

void SeedRun::act(int t) {
  const int roll = draw(100);
  if (m_records.empty() || roll < 34) return create(t);
  if (roll < 72) return edit(t, /*concurrently=*/false);
  if (roll < 84) return edit(t, /*concurrently=*/true);
  const CreatedRecord r =
      m_records[static_cast<std::size_t>(draw(static_cast<int>(m_records.size())))];
  if (roll < 89) {
    auto deleted = deleteRecord(*tablet(t).store, r.kind, r.id, tablet(t).name);
    check(deleted.status(), "delete on t" + std::to_string(t));
    return;
  }
  if (roll < 92) {
    // Keeps one of the records an edit concurrent with their delete brought back here, flagged,
    // if there is any: the first from a random place on.
    const std::size_t start = static_cast<std::size_t>(draw(static_cast<int>(m_records.size())));
    for (std::size_t i = 0; i < m_records.size(); ++i) {
      const CreatedRecord& c = m_records[(start + i) % m_records.size()];
      auto kept = keepRestoredRecord(*tablet(t).store, c.kind, c.id, tablet(t).name);
      if (!check(kept.status(), "keep on t" + std::to_string(t))) return;
      if (*kept) {
        ++m_world.kept;
        return;
      }
    }
    return;
  }
  // An attachment illustrating a record this tablet holds (its record syncs; the blob upload is
  // not the engine's yet).
  auto id = createRecord(*tablet(t).store, domain::RecordKind::kAttachment, m_visit, r.id, tag(t),
                         tablet(t).name, m_rng);
  if (check(id.status(), "attach on t" + std::to_string(t))) {
    m_records.push_back({domain::RecordKind::kAttachment, *id});
  }
}

void SeedRun::create(int t) {
  static constexpr domain::RecordKind kKinds[] = {
      domain::RecordKind::kFinding, domain::RecordKind::kFinding, domain::RecordKind::kObservation,
      domain::RecordKind::kInterview};
  const domain::RecordKind kind = kKinds[draw(4)];
  auto id = createRecord(*tablet(t).store, kind, m_visit, {}, tag(t), tablet(t).name, m_rng);
  if (check(id.status(), "create on t" + std::to_string(t))) m_records.push_back({kind, *id});
}

void SeedRun::edit(int t, bool concurrently) {
  const CreatedRecord r =
      m_records[static_cast<std::size_t>(draw(static_cast<int>(m_records.size())))];
  const int field = draw(editableFieldCount(r.kind));
  std::vector<int> editors = {t};
  if (concurrently) {
    // The same field on a second tablet before either syncs: a conflict, unless one of them
    // does not hold the record yet.
    const int other = m_active[static_cast<std::size_t>(draw(static_cast<int>(m_active.size())))];
    if (other != t) editors.push_back(other);
  }
  for (int e : editors) {
    auto edited = editRecord(*tablet(e).store, r.kind, r.id, field, tag(e), tablet(e).name, m_rng);
    check(edited.status(), "edit on t" + std::to_string(e));
  }
}

void SeedRun::syncTablet(int t, bool* moved) {
  SuiteTablet& tab = tablet(t);
  if (!check(m_oracle.collectOutbox(*tab.store), "read outbox of " + tab.name)) return;
  if (!check(m_world.everything.collectOutbox(*tab.store), "read outbox of " + tab.name)) return;
  auto report = tab.engine->syncOnce();
  ++m_world.syncs;
  if (!check(report.status(), tab.name + " sync at step " + std::to_string(m_step))) return;
  if (report->rejected != 0) {
    fail(tab.name + ": the server refused " + std::to_string(report->rejected) +
         " changes at step " + std::to_string(m_step) + " (" + report->summary() + ")");
  }
  if (moved != nullptr && (report->pushed != 0 || report->pulled != 0 || report->uploaded != 0 ||
                           report->downloaded != 0)) {
    *moved = true;
  }
}

void SeedRun::finalSyncs() {
  for (int round = 1;; ++round) {
    bool moved = false;
    for (int t = 0; t < kTablets && m_problems.empty(); ++t) syncTablet(t, &moved);
    if (!m_problems.empty()) return;
    if (!moved && round >= 2) return;
    if (round == kMaxFinalRounds) {
      return fail("still moving after " + std::to_string(kMaxFinalRounds) + " sync rounds");
    }
  }
}

void SeedRun::verify() {
  DigestSelection visit;
  visit.underParent = m_visit;
  auto server = digestServerStore(m_world.server->dataDir(), visit);
  if (!check(server.status(), "digest of the server")) return;
  for (int t = 0; t < kTablets; ++t) {
    auto mine = digestTabletStore(*tablet(t).store, visit);
    if (!check(mine.status(), "digest of t" + std::to_string(t))) return;
    if (const std::string diff = StoreDigest::diff(*server, *mine); !diff.empty()) {
      fail("(a) t" + std::to_string(t) + " differs from the server (first: server, second: t" +
           std::to_string(t) + "): " + diff);
    }
    auto pending = storage::Outbox(*tablet(t).store).pendingCount();
    if (pending.isOk() && *pending != 0)
      fail("t" + std::to_string(t) + " still has changes queued");
    // The photos' bytes went along: none waits for upload or download, and each one opens and
    // matches its record's SHA-256 on every tablet.
    storage::AttachmentStore files(*tablet(t).store);
    auto uploads = files.pendingUploads();
    auto missing = files.missingFiles();
    if (!uploads.isOk() || !missing.isOk() || !uploads->empty() || !missing->empty()) {
      fail("t" + std::to_string(t) + ": attachment bytes not moved (" +
           (uploads.isOk() ? std::to_string(uploads->size()) : uploads.status().toString()) +
           " to upload, " +
           (missing.isOk() ? std::to_string(missing->size()) : missing.status().toString()) +
           " to download)");
    }
    for (const CreatedRecord& r : m_records) {
      // Deleted ones need no bytes (a tombstone); a restored one does.
      if (r.kind != domain::RecordKind::kAttachment || server->records.at(r.id).deleted) continue;
      std::size_t bytes = 0;
      const Status read =
          files.read(r.id, [&](std::span<const std::uint8_t> part) { bytes += part.size(); });
      if (!read.isOk())
        fail("t" + std::to_string(t) + ": attachment " + r.id + ": " + read.toString());
    }
  }
  for (const std::string& problem : m_oracle.check(*server, {m_visit}))
    fail("(b/c) server: " + problem);

  const std::set<std::string> flagged = m_oracle.expectedFlagged();
  for (int t = 0; t < kTablets; ++t) {
    // conflictedRecords() as the app lists them, narrowed to this visit so that a seed does not
    // open every earlier seed's records; the whole list is checked once per shard.
    auto conflicted =
        tablet(t).store->queryRecords("WHERE conflicted = 1 AND parent_id = ?1",
                                      [&](storage::Statement& s) { s.bind(1, m_visit); });
    if (!check(conflicted.status(), "conflicts of t" + std::to_string(t))) return;
    std::set<std::string> mine;
    for (const auto& r : *conflicted) mine.insert(r.id);
    if (mine != flagged) {
      fail("t" + std::to_string(t) + " flags " + std::to_string(mine.size()) +
           " records for a person, the oracle " + std::to_string(flagged.size()));
    }
  }
  m_world.flagged += flagged.size();
  for (const auto& [id, record] : server->records) {
    std::set<std::uint32_t> fields;
    for (const auto& h : record.heads) {
      if (!fields.insert(h.field).second) {
        ++m_world.conflicts;
        break;
      }
    }
  }
}

void checkWholeStores(World& world);

void Convergence::runShard(int shard) {
  World& world = *s_world;
  const auto start = std::chrono::steady_clock::now();
  int failures = 0;
  const std::vector<std::uint64_t> seeds = seedsOfShard(shard);
  for (const std::uint64_t seed : seeds) {
    const std::vector<std::string> problems = SeedRun(world, seed).run();
    if (problems.empty()) continue;
    std::ostringstream text;
    for (const std::string& p : problems) text << "\n  " << p;
    ADD_FAILURE() << "seed " << seed << " (rerun: OPCAT_SUITE_SEED=" << seed << ")" << text.str();
    if (++failures >= 3) break;  // a broken merge fails every seed: three are enough to read
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::cout << "shard " << shard << ": " << seeds.size() << " seeds, " << world.steps << " steps, "
            << world.syncs << " syncs, " << world.everything.changeCount() << " changes, "
            << world.conflicts << " records with conflicts, " << world.flagged << " flagged, "
            << world.kept << " kept after a delete, in "
            << seconds << " s" << std::endl;
  checkWholeStores(world);
}

// The office's device id, from the server's settings.
std::string officeDeviceId(const std::filesystem::path& dataDir) {
  auto db = storage::Database::open(dataDir / "opcat-server.db", /*create=*/false);
  if (!db) return {};
  auto stmt = (*db)->prepare("SELECT value FROM settings WHERE key = 'office_device_id'");
  return stmt && stmt->step() ? std::string(stmt->columnBlob(0)) : std::string();
}

// The whole stores, once all seeds ran: each tablet holds exactly what the server holds in the
// scopes its monitor may see (registry, people and every visit of team 1), and every head on the
// server was written by a tablet (as the oracle saw it) or by the office.
void checkWholeStores(World& world) {
  DigestSelection visible;
  visible.serverScopes = world.visits;
  visible.serverScopes->push_back("");
  visible.serverScopes->push_back(world.data.visit1);
  auto server = digestServerStore(world.server->dataDir(), visible);
  ASSERT_TRUE(server.isOk()) << server.status().toString();
  const std::set<std::string> flagged = world.everything.expectedFlagged();
  for (auto& t : world.tablets) {
    auto conflicted = t.store->conflictedRecords();
    ASSERT_TRUE(conflicted.isOk()) << conflicted.status().toString();
    std::set<std::string> listed;
    for (const auto& r : *conflicted) listed.insert(r.id);
    EXPECT_EQ(listed, flagged) << t.name << " lists other records with conflicts";
    auto mine = digestTabletStore(*t.store);
    ASSERT_TRUE(mine.isOk()) << mine.status().toString();
    const std::string diff = StoreDigest::diff(*server, *mine);
    EXPECT_TRUE(diff.empty()) << t.name << " against the server: " << diff;
    EXPECT_EQ(mine->hash(), server->hash());
  }
  auto all = digestServerStore(world.server->dataDir());
  ASSERT_TRUE(all.isOk()) << all.status().toString();
  const std::string office = officeDeviceId(world.server->dataDir());
  std::set<std::string> tabletDevices;
  for (auto& t : world.tablets) tabletDevices.insert(t.store->deviceId());
  for (const auto& [id, record] : all->records) {
    for (const HeadDigest& h : record.heads) {
      if (h.deviceId == office) continue;
      EXPECT_TRUE(tabletDevices.contains(h.deviceId) && world.everything.wrote(id, h))
          << "(c) a head neither a tablet nor the office wrote: " << record.describe();
    }
  }
}

// Two tablets answer the same observation concurrently with answers of different types (yes/no
// on one, a number on the other: two members of the `answer` oneof). Each replica rebuilds the
// content from the heads, so all must end with the same member, whatever order the edits
// arrived in.
TEST_F(Convergence, ConcurrentAnswersOfDifferentTypesConverge) {
  World& world = *s_world;
  const std::string visit = world.visits.at(world.nextVisit++);
  SuiteTablet& a = world.tablets[0];
  SuiteTablet& b = world.tablets[1];
  domain::Observation o;
  o.id = newUuid();
  o.visitId = visit;
  o.area = domain::ThematicArea::kMaterialConditions;
  o.answer = std::string("Не проверено");
  ASSERT_TRUE(storage::ObservationRepository(*a.store).save(o, a.name).isOk());
  for (SuiteTablet* t : {&a, &b}) ASSERT_TRUE(t->engine->syncOnce().isOk());
  auto yes = o;
  yes.answer = true;
  auto number = o;
  number.answer = std::int64_t{3};
  ASSERT_TRUE(storage::ObservationRepository(*a.store).save(yes, a.name).isOk());
  ASSERT_TRUE(storage::ObservationRepository(*b.store).save(number, b.name).isOk());
  for (SuiteTablet* t : {&a, &b, &a, &b}) ASSERT_TRUE(t->engine->syncOnce().isOk());
  DigestSelection selection;
  selection.underParent = visit;
  auto server = digestServerStore(world.server->dataDir(), selection);
  ASSERT_TRUE(server.isOk());
  for (SuiteTablet* t : {&a, &b}) {
    auto mine = digestTabletStore(*t->store, selection);
    ASSERT_TRUE(mine.isOk());
    const std::string diff = StoreDigest::diff(*server, *mine);
    EXPECT_TRUE(diff.empty()) << t->name << " against the server: " << diff;
  }
}

// Rules that tie two fields together (an interview's kind and group size) can fail for a merge
// of two edits that were each valid: one tablet makes an individual interview a group of 5, the
// other sets the group size to 1 with the greater version, and the merge is a group of 1. The
// server keeps that edit (codec::RuleSet::kEachField) as the tablets keep the merge; refused, it
// would stay on its own tablet and be gone from every other replica. The size's conflict stays
// visible for the monitors to resolve.
TEST_F(Convergence, ConcurrentEditsOfFieldsValidatedTogetherAreKept) {
  World& world = *s_world;
  const std::string visit = world.visits.at(world.nextVisit++);
  SuiteTablet& a = world.tablets[0];
  SuiteTablet& b = world.tablets[1];
  auto interview = sampleInterview(visit);
  interview.kind = domain::InterviewKind::kIndividual;
  interview.groupSize = 0;
  ASSERT_TRUE(storage::InterviewRepository(*a.store).save(interview, a.name).isOk());
  for (SuiteTablet* t : {&a, &b}) ASSERT_TRUE(t->engine->syncOnce().isOk());
  auto group = interview;
  group.kind = domain::InterviewKind::kGroup;
  group.groupSize = 5;
  auto one = interview;
  one.groupSize = 1;
  ASSERT_TRUE(storage::InterviewRepository(*a.store).save(group, a.name).isOk());
  std::this_thread::sleep_for(std::chrono::milliseconds(5));  // b's version is the greater
  ASSERT_TRUE(storage::InterviewRepository(*b.store).save(one, b.name).isOk());
  std::size_t rejected = 0;
  for (SuiteTablet* t : {&a, &b, &a, &b}) {
    auto report = t->engine->syncOnce();
    ASSERT_TRUE(report.isOk()) << report.status().toString();
    rejected += report->rejected;
  }
  EXPECT_EQ(rejected, 0u) << "a valid edit was refused because of what it was merged with";
  DigestSelection selection;
  selection.underParent = visit;
  auto server = digestServerStore(world.server->dataDir(), selection);
  ASSERT_TRUE(server.isOk());
  for (SuiteTablet* t : {&a, &b}) {
    auto mine = digestTabletStore(*t->store, selection);
    ASSERT_TRUE(mine.isOk());
    const std::string diff = StoreDigest::diff(*server, *mine);
    EXPECT_TRUE(diff.empty()) << t->name << " against the server: " << diff;
    auto conflicted = t->store->conflictedRecords();
    ASSERT_TRUE(conflicted.isOk()) << conflicted.status().toString();
    EXPECT_TRUE(std::any_of(conflicted->begin(), conflicted->end(),
                            [&](const auto& r) { return r.id == interview.id; }))
        << t->name << " does not show the group size's conflict";
  }
}

TEST_F(Convergence, Shard0) { runShard(0); }
TEST_F(Convergence, Shard1) { runShard(1); }
TEST_F(Convergence, Shard2) { runShard(2); }
TEST_F(Convergence, Shard3) { runShard(3); }

}  // namespace
}  // namespace opcat::testing
