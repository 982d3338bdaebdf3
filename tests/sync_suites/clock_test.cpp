// Wrong clocks change nothing that causality decides (SYNC.md rule 5, hybrid logical clocks):
// one scripted scenario (offline edits on three tablets, concurrent edits of one field, a delete
// concurrent with an edit, causal chains that cross tablets, syncs in a fixed order) runs twice,
// with correct clocks and with tablet 1 three days ahead and tablet 2 a year behind. In both runs
// every replica ends equal and as the oracle says; and the two runs end with the same heads
// (value and author) on every field, so the same current values wherever one edit knowingly
// followed another, the same conflicts, and the same deleted and flagged records.
#include <gtest/gtest.h>

#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "change_oracle.h"
#include "core/uuid.h"
#include "seeded_server.h"
#include "storage/repositories.h"
#include "suite_tablet.h"
#include "support/sample_records.h"
#include "support/server_process.h"
#include "support/store_digest.h"
#include "support/temp_dir.h"

namespace opcat::testing {
namespace {

constexpr std::int64_t kDayMs = 24LL * 3600 * 1000;

// Heads of one field as (value, author), with run-specific ids replaced by logical names.
using FieldHeads = std::set<std::pair<std::string, std::string>>;

struct RecordOutcome {
  bool deleted = false;
  bool flagged = false;
  std::map<std::uint32_t, FieldHeads> fields;
  friend bool operator==(const RecordOutcome&, const RecordOutcome&) = default;
};

using Outcome = std::map<std::string, RecordOutcome>;  // by logical name

std::string describe(const Outcome& outcome) {
  std::string out;
  for (const auto& [name, r] : outcome) {
    out += name + (r.deleted ? " deleted" : " live") + (r.flagged ? " flagged" : "") + ":";
    for (const auto& [field, heads] : r.fields) {
      out += " " + std::to_string(field) + "{";
      for (const auto& [value, author] : heads)
        out += author + ":" + std::to_string(value.size()) + "B ";
      out += "}";
    }
    out += "\n";
  }
  return out;
}

class Scenario {
 public:
  using WallClock = sync::HybridClock::WallClock;

  explicit Scenario(std::vector<WallClock> clocks) {
    const auto dir = m_temp.path() / "server";
    m_data = seedServerData(dir);
    ServerProcess::Options options;
    options.dataDir = dir;
    m_server = std::make_unique<ServerProcess>(options);
    const std::string codes[] = {m_data.codeA, m_data.codeA2, m_data.codeSpare};
    for (std::size_t i = 0; i < 3; ++i) {
      TabletOptions tabletOptions;
      tabletOptions.wallClock = clocks[i];
      const std::string name = "t" + std::to_string(i + 1);
      m_tablets.push_back(
          makeTablet(m_temp.path() / name, name, m_server->url(), codes[i], tabletOptions));
    }
    m_names[m_data.visit1] = "visit";
  }

  // The script. Tablet numbers are 1-3.
  void run();
  // Every replica equal and as the oracle says; then the outcome by logical names.
  Outcome outcome();

 private:
  SuiteTablet& t(int n) { return m_tablets[static_cast<std::size_t>(n - 1)]; }

  void sync(std::initializer_list<int> order) {
    for (int n : order) {
      ASSERT_TRUE(m_oracle.collectOutbox(*t(n).store).isOk());
      auto report = t(n).engine->syncOnce();
      ASSERT_TRUE(report.isOk()) << t(n).name << ": " << report.status().toString();
      ASSERT_EQ(report->rejected, 0u) << t(n).name << ": " << report->summary();
    }
  }

  template <typename T>
  void create(int n, const std::string& name, T record) {
    record.id = newUuid();
    m_ids[name] = {T::kKind, record.id};
    m_names[record.id] = name;
    ASSERT_TRUE(storage::RecordRepository<T>(*t(n).store).save(record, t(n).name).isOk());
  }

  template <typename T>
  void edit(int n, const std::string& name, const std::function<void(T&)>& change) {
    storage::RecordRepository<T> repo(*t(n).store);
    auto found = repo.find(m_ids.at(name).second);
    ASSERT_TRUE(found.isOk() && found->has_value()) << name << " is not live on t" << n;
    T record = std::move(**found);
    change(record);
    ASSERT_TRUE(repo.save(record, t(n).name).isOk());
  }

  template <typename T>
  void remove(int n, const std::string& name) {
    ASSERT_TRUE(
        storage::RecordRepository<T>(*t(n).store).remove(m_ids.at(name).second, t(n).name).isOk());
  }

  std::string normalised(std::string value) const {
    for (const auto& [id, name] : m_names) {
      std::string token = name;
      token.resize(id.size(), '#');
      for (std::size_t at; (at = value.find(id)) != std::string::npos;)
        value.replace(at, id.size(), token);
    }
    return value;
  }

  TempDir m_temp{fastScratchPrefix("opcat-clock")};
  SeededData m_data;
  std::unique_ptr<ServerProcess> m_server;
  std::vector<SuiteTablet> m_tablets;
  ChangeOracle m_oracle;
  std::map<std::string, std::pair<domain::RecordKind, std::string>> m_ids;  // name → (kind, id)
  std::map<std::string, std::string> m_names;                               // id → name
};

// Records with fixed content, so that the two runs write the same bytes (ids aside).
domain::Finding finding(const std::string& visit, const std::string& title) {
  auto f = sampleFinding(visit);
  f.sources = {{domain::SourceKind::kObservation, "6f1c2a4e-0000-4000-8000-000000000001"}};
  f.authorMonitorId = "6f1c2a4e-0000-4000-8000-0000000000aa";
  f.title = title;
  return f;
}

void Scenario::run() {
  using domain::Finding;
  using domain::Interview;
  using domain::Observation;
  const std::string visit = m_data.visit1;

  // A: each tablet records offline, then everyone syncs.
  create(1, "F1", finding(visit, "Нет вентиляции"));
  create(1, "F2", finding(visit, "Нет прогулок"));
  auto interview = sampleInterview(visit);
  interview.authorMonitorId = "6f1c2a4e-0000-4000-8000-0000000000bb";
  create(2, "I1", interview);
  Observation o;
  o.visitId = visit;
  o.area = domain::ThematicArea::kMaterialConditions;
  o.answer = std::string("Окна заварены");
  o.observedAtMs = kSampleTimeMs;
  create(3, "O1", o);
  sync({1, 2, 3, 1, 2});

  // B: concurrent offline work. The same field on t1 and t3; a delete on t2 while t1 edits.
  edit<Finding>(1, "F1", [](Finding& f) { f.title = "B: окна заварены (t1)"; });
  edit<Finding>(3, "F1", [](Finding& f) { f.title = "B: нет окон (t3)"; });
  edit<Finding>(2, "F1", [](Finding& f) { f.severity = domain::Severity::kCritical; });
  remove<Finding>(2, "F2");
  edit<Finding>(1, "F2", [](Finding& f) { f.description = "B: прогулок нет неделю (t1)"; });
  edit<Observation>(3, "O1", [](Observation& x) { x.notes = "B: t3"; });
  edit<Interview>(2, "I1", [](Interview& x) { x.notes = "B: t2"; });
  edit<Interview>(1, "I1", [](Interview& x) { x.reprisalRisk = domain::ReprisalRisk::kHigh; });
  sync({2, 3, 1, 2, 3});

  // C: causal chains across the skewed clocks. t2 (a year behind) resolves the conflict it
  // sees; t1 (days ahead) edits after pulling that; t2 edits after pulling t1's edit.
  edit<Finding>(2, "F1", [](Finding& f) { f.title = "C: решено (t2)"; });
  sync({2, 1});
  edit<Finding>(1, "F1", [](Finding& f) { f.description = "C: t1 после t2"; });
  edit<Interview>(1, "I1", [](Interview& x) { x.notes = "C: t1"; });
  sync({1, 3});
  remove<Observation>(3, "O1");
  sync({3, 2});
  edit<Interview>(2, "I1", [](Interview& x) { x.notes = "C: t2 после t1"; });
  // Concurrent again: t1 and t2 set urgency without seeing each other.
  edit<Finding>(1, "F1", [](Finding& f) { f.urgency = domain::Urgency::kUrgent; });
  edit<Finding>(2, "F1", [](Finding& f) { f.urgency = domain::Urgency::kRoutine; });
  sync({2, 1, 3, 2, 1, 3});
}

Outcome Scenario::outcome() {
  DigestSelection visit;
  visit.underParent = m_data.visit1;
  auto server = digestServerStore(m_server->dataDir(), visit);
  EXPECT_TRUE(server.isOk()) << server.status().toString();
  if (!server.isOk()) return {};
  for (const std::string& problem : m_oracle.check(*server, {m_data.visit1})) {
    ADD_FAILURE() << problem;
  }
  std::set<std::string> flagged;
  for (std::size_t i = 0; i < m_tablets.size(); ++i) {
    auto mine = digestTabletStore(*m_tablets[i].store, visit);
    EXPECT_TRUE(mine.isOk());
    const std::string diff = mine.isOk() ? StoreDigest::diff(*server, *mine) : std::string();
    EXPECT_TRUE(diff.empty()) << m_tablets[i].name << " against the server: " << diff;
    auto conflicted = m_tablets[i].store->conflictedRecords();
    EXPECT_TRUE(conflicted.isOk());
    std::set<std::string> mineFlagged;
    if (conflicted.isOk()) {
      for (const auto& r : *conflicted) mineFlagged.insert(m_names[r.id]);
    }
    if (i == 0) flagged = mineFlagged;
    EXPECT_EQ(mineFlagged, flagged) << m_tablets[i].name;
  }
  Outcome out;
  for (const auto& [id, record] : server->records) {
    if (id == m_data.visit1) continue;  // the office's, with run-specific ids in it
    const std::string& name = m_names.at(id);
    RecordOutcome& r = out[name];
    r.deleted = record.deleted;
    r.flagged = flagged.contains(name);
    for (const HeadDigest& h : record.heads) {
      r.fields[h.field].insert({normalised(h.value), h.authorId});
    }
  }
  return out;
}

// The authors of field `number`'s heads.
std::set<std::string> authors(const RecordOutcome& r, std::uint32_t number) {
  std::set<std::string> out;
  if (r.fields.contains(number)) {
    for (const auto& [value, author] : r.fields.at(number)) out.insert(author);
  }
  return out;
}

// What the script decides by causality alone, whatever the clocks say.
void expectScriptedOutcome(const Outcome& o) {
  constexpr std::uint32_t kTitle = 10, kSeverity = 5, kUrgency = 6, kDescription = 11;
  constexpr std::uint32_t kInterviewNotes = 8, kReprisalRisk = 7;
  ASSERT_EQ(o.size(), 4u) << describe(o);  // F1, F2, I1, O1
  const RecordOutcome& f1 = o.at("F1");
  EXPECT_EQ(authors(f1, kTitle), std::set<std::string>{"t2"}) << "t2 resolved the conflict it saw";
  EXPECT_EQ(authors(f1, kSeverity), std::set<std::string>{"t2"});
  EXPECT_EQ(authors(f1, kDescription), std::set<std::string>{"t1"});
  EXPECT_EQ(authors(f1, kUrgency), (std::set<std::string>{"t1", "t2"})) << "a conflict";
  EXPECT_TRUE(f1.flagged);
  EXPECT_FALSE(f1.deleted);
  const RecordOutcome& f2 = o.at("F2");
  EXPECT_FALSE(f2.deleted) << "an edit the deleter had not seen brings it back";
  EXPECT_TRUE(f2.flagged);
  EXPECT_EQ(authors(f2, kDescription), std::set<std::string>{"t1"});
  const RecordOutcome& i1 = o.at("I1");
  EXPECT_EQ(authors(i1, kInterviewNotes), std::set<std::string>{"t2"})
      << "t2's edit followed t1's, though t2's clock is a year behind";
  EXPECT_EQ(authors(i1, kReprisalRisk), std::set<std::string>{"t1"});
  EXPECT_FALSE(i1.flagged);
  EXPECT_TRUE(o.at("O1").deleted);
  EXPECT_FALSE(o.at("O1").flagged);
}

TEST(ClockSkew, WrongClocksChangeNoOutcomeThatCausalityDecides) {
  const Scenario::WallClock correct = &sync::HybridClock::systemWallClockMs;
  Outcome right;
  {
    Scenario scenario({correct, correct, correct});
    scenario.run();
    ASSERT_FALSE(::testing::Test::HasFatalFailure());
    right = scenario.outcome();
  }
  Outcome skewed;
  {
    Scenario scenario({[] { return sync::HybridClock::systemWallClockMs() + 3 * kDayMs; },
                       [] { return sync::HybridClock::systemWallClockMs() - 365 * kDayMs; },
                       correct});
    scenario.run();
    ASSERT_FALSE(::testing::Test::HasFatalFailure());
    skewed = scenario.outcome();
  }
  expectScriptedOutcome(right);
  expectScriptedOutcome(skewed);
  EXPECT_EQ(right, skewed) << "correct clocks:\n"
                           << describe(right) << "skewed clocks:\n"
                           << describe(skewed);
}

}  // namespace
}  // namespace opcat::testing
