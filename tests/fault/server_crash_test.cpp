// kill -9 of opcat-server at random points while five tablets push (SYNC.md rules 1-3): each
// tablet deletes from its outbox only what the server acknowledged and retries the rest. Once
// every outbox is empty, each change a tablet made must be in the server's log exactly once and
// every record must hold what its last change produced, seen through pull by fresh tablets and
// in the server's store itself.
//
// OPCAT_FAULT_SCALE=N multiplies the number of changes for long runs (run the binary directly:
// ctest's timeout is sized for CI).
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <deque>
#include <iostream>
#include <map>
#include <random>
#include <set>
#include <thread>

#include "core/uuid.h"
#include "db/sqlite_server_store.h"
#include "seeded_server.h"
#include "storage/database.h"
#include "support/change_builder.h"
#include "support/sample_records.h"
#include "support/server_process.h"
#include "support/sync_client.h"
#include "support/temp_dir.h"
#include "sync/codec/change_codec.h"
#include "sync/codec/change_proto.h"
#include "sync/codec/record_fields.h"
#include "sync/merge.h"

namespace opcat::testing {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;
using Outcome = v1::ChangeResult;

constexpr std::size_t kBaseChangeCount = 2000;  // over all tablets, before OPCAT_FAULT_SCALE
constexpr std::size_t kBatchSize = 50;
constexpr int kKillCount = 20;
constexpr std::uint32_t kSeed = 20251124;
constexpr auto kRetryPause = 20ms;
// A tablet that cannot empty its outbox in this time gives up, so a broken server fails the
// test instead of hanging it.
constexpr auto kPushBudgetPerThousandChanges = 30s;

std::size_t changeCount() {
  const char* scale = std::getenv("OPCAT_FAULT_SCALE");
  const double factor = scale != nullptr ? std::strtod(scale, nullptr) : 1.0;
  return static_cast<std::size_t>(static_cast<double>(kBaseChangeCount) *
                                  (factor > 0 ? factor : 1.0));
}

// One tablet: its enrollment, every change it made (in sequence order) and, per record, the
// content its own changes produce, which is what the server must hold at the end.
struct Tablet {
  std::string code;
  std::string monitorId;
  std::string visitId;
  int team = 0;
  std::unique_ptr<ChangeBuilder> builder = std::make_unique<ChangeBuilder>(newUuid());
  std::string token;
  std::vector<sync::Change> made;
  std::map<std::string, std::string> expected;

  const std::string& deviceId() const { return builder->deviceId(); }
};

// What a tablet's push loop saw.
struct PushStats {
  std::size_t attempts = 0;
  std::size_t transportFailures = 0;       // refused, reset or cut: the server was down or died
  std::map<long, std::size_t> httpErrors;  // status → count; a live server never errs here
  std::size_t rejected = 0;
  std::string firstRejection;
  std::size_t left = 0;  // changes still in the outbox when the loop ended
};

// Findings in the tablet's visit, about a third of the changes being edits of earlier ones
// (some edited several times). Each edit supersedes what the tablet held, as its store stamps it.
void makeChanges(Tablet& t, std::size_t count, std::mt19937& rng) {
  std::vector<domain::Finding> findings;
  std::map<std::string, sync::RecordMergeState> states;
  while (t.made.size() < count) {
    const std::size_t n = t.made.size() + 1;
    sync::Change change;
    if (findings.empty() || rng() % 3 != 0) {
      auto finding = sampleFinding(t.visitId, static_cast<domain::ThematicArea>(1 + rng() % 6),
                                   static_cast<domain::Severity>(1 + rng() % 4));
      finding.authorMonitorId = t.monitorId;
      finding.title = "Находка " + std::to_string(n);
      change = t.builder->create(finding, t.monitorId);
      findings.push_back(finding);
    } else {
      domain::Finding& before = findings[rng() % findings.size()];
      domain::Finding after = before;
      after.title = "Находка, правка " + std::to_string(n);  // always differs: never an empty edit
      after.severity = static_cast<domain::Severity>(1 + rng() % 4);
      if (rng() % 2 == 0) after.description += " Дополнение " + std::to_string(n) + ".";
      change = t.builder->edit(before, after, {}, t.monitorId);
      before = after;
    }
    sync::RecordMergeState& state = states[change.recordId];
    sync::stampLocalChange(state, change);
    sync::applyChange(state, change);
    auto content = codec::applyFields(change.kind, t.expected[change.recordId], change.fields);
    if (!content)
      throw std::logic_error("own change does not apply: " + content.status().toString());
    t.expected[change.recordId] = std::move(content).value();
    t.made.push_back(std::move(change));
  }
}

// The tablet's sync loop: push the oldest changes of the outbox in batches, delete what the
// server acknowledged, retry the rest after a failure.
void pushOutbox(const Tablet& t, const std::string& url, Clock::time_point deadline,
                const std::atomic<bool>& abandon, std::atomic<std::size_t>& processed,
                PushStats& stats) {
  std::deque<sync::Change> outbox(t.made.begin(), t.made.end());
  SyncClient client(url);
  client.setToken(t.token);
  while (!outbox.empty() && Clock::now() < deadline && !abandon) {
    const auto end =
        outbox.begin() + static_cast<std::ptrdiff_t>(std::min(kBatchSize, outbox.size()));
    const std::vector<sync::Change> batch(outbox.begin(), end);
    long status = 0;
    ++stats.attempts;
    const auto reply = client.push(batch, &status);
    if (!reply || reply->results_size() != static_cast<int>(batch.size())) {
      if (status == 0) {
        ++stats.transportFailures;
      } else {
        ++stats.httpErrors[status];
      }
      std::this_thread::sleep_for(kRetryPause);
      continue;
    }
    std::set<std::uint64_t> done;
    for (const auto& result : reply->results()) {
      if (result.id().device_id() != t.deviceId()) continue;
      if (result.outcome() == Outcome::OUTCOME_REJECTED) {
        // Never applied; it leaves the outbox as a tablet would drop it, and fails the test.
        if (stats.rejected++ == 0) stats.firstRejection = result.reason();
      } else if (result.outcome() != Outcome::OUTCOME_ACCEPTED) {
        continue;
      }
      done.insert(result.id().sequence());
    }
    std::erase_if(outbox, [&](const sync::Change& c) { return done.contains(c.id.sequence); });
    processed += done.size();
  }
  stats.left = outbox.size();
}

// Every page of what a tablet may see, failing on any error.
std::vector<sync::Change> pullEverything(SyncClient& client) {
  std::vector<sync::Change> out;
  std::uint64_t cursor = 0;
  for (;;) {
    long status = 0;
    const auto page = client.pull(cursor, 1000, &status);
    EXPECT_TRUE(page) << "pull failed with HTTP " << status;
    if (!page) return out;
    for (const auto& proto : page->changes()) {
      auto change = codec::changeFromProto(proto);
      EXPECT_TRUE(change) << change.status().toString();
      if (change) out.push_back(std::move(change).value());
    }
    cursor = page->next_cursor();
    if (!page->has_more()) return out;
  }
}

// Counts what went wrong, keeping the first example for the failure message.
struct Tally {
  std::size_t count = 0;
  std::string example;
  void add(const std::string& what) {
    if (count++ == 0) example = what;
  }
};

// What one run of pushing under kills did.
struct RunSummary {
  std::size_t attempts = 0;
  std::size_t transportFailures = 0;
  int kills = 0;
  int killsWhilePushing = 0;
};

class ServerCrashTest : public ::testing::Test {
 protected:
  void SetUp() override {
    m_data = seedServerData(dataDir());
    // Five tablets: three of team 1 (monitors A, A2 and A again) and two of team 2 (B twice).
    m_tablets.resize(5);
    const std::string codes[] = {m_data.codeA, m_data.codeA2, m_data.codeSpare, m_data.codeB,
                                 issueCodes(dataDir(), m_data.monitorB, 1).front()};
    const std::string monitors[] = {m_data.monitorA, m_data.monitorA2, m_data.monitorA,
                                    m_data.monitorB, m_data.monitorB};
    for (std::size_t i = 0; i < m_tablets.size(); ++i) {
      m_tablets[i].code = codes[i];
      m_tablets[i].monitorId = monitors[i];
      m_tablets[i].team = i < 3 ? 1 : 2;
      m_tablets[i].visitId = i < 3 ? m_data.visit1 : m_data.visit2;
    }
    // Enrolled at the end, after restarts: the server allows five enrollments per address at
    // once, and the tablets used them.
    m_checkerCodes[1] = issueCodes(dataDir(), m_data.monitorA2, 1).front();
    m_checkerCodes[2] = issueCodes(dataDir(), m_data.monitorB, 1).front();

    ServerProcess::Options options;
    options.dataDir = dataDir();
    m_server = std::make_unique<ServerProcess>(options);
  }

  std::filesystem::path dataDir() const { return m_temp.path() / "server"; }

  // Every tablet pushes its outbox from its own thread while this thread kills the server at
  // kKillCount points: after random amounts of progress plus a random delay, so that they fall
  // all over the run whatever the machine's speed. The server stays down a random while.
  RunSummary pushWhileKilling(std::mt19937& rng, std::size_t total) {
    std::vector<std::size_t> killAfter(kKillCount);
    for (auto& k : killAfter) k = rng() % total;
    std::sort(killAfter.begin(), killAfter.end());

    const auto deadline =
        Clock::now() + kPushBudgetPerThousandChanges * static_cast<long>(1 + total / 1000);
    std::atomic<bool> abandon{false};
    std::atomic<std::size_t> processed{0};
    std::atomic<int> pushing{static_cast<int>(m_tablets.size())};
    std::vector<PushStats> stats(m_tablets.size());
    std::vector<std::thread> threads;
    for (std::size_t i = 0; i < m_tablets.size(); ++i) {
      threads.emplace_back([&, i] {
        pushOutbox(m_tablets[i], m_server->url(), deadline, abandon, processed, stats[i]);
        --pushing;
      });
    }
    RunSummary run;
    try {
      for (const std::size_t threshold : killAfter) {
        while (processed < threshold && pushing > 0) std::this_thread::sleep_for(1ms);
        std::this_thread::sleep_for(std::chrono::milliseconds(rng() % 40));
        run.killsWhilePushing += pushing > 0 ? 1 : 0;
        m_server->kill9();
        ++run.kills;
        std::this_thread::sleep_for(std::chrono::milliseconds(rng() % 100));
        m_server->restart();
      }
    } catch (const std::exception& e) {
      ADD_FAILURE() << "the server did not come back: " << e.what();
      abandon = true;
    }
    for (auto& t : threads) t.join();

    for (std::size_t i = 0; i < m_tablets.size(); ++i) {
      SCOPED_TRACE("tablet " + std::to_string(i));
      EXPECT_EQ(stats[i].left, 0u) << "changes left in the outbox";
      EXPECT_EQ(stats[i].rejected, 0u) << stats[i].firstRejection;
      for (const auto& [status, count] : stats[i].httpErrors) {
        ADD_FAILURE() << count << " pushes were answered with HTTP " << status;
      }
      run.attempts += stats[i].attempts;
      run.transportFailures += stats[i].transportFailures;
    }
    return run;
  }

  // A fresh tablet of `team` pulls everything: each change of the team's tablets comes exactly
  // once, none of the other team's, and applying them rebuilds every finding as its author left
  // it.
  void checkThroughPull(int team) {
    SCOPED_TRACE("pulled by a tablet of team " + std::to_string(team));
    SyncClient checker(m_server->url());
    ASSERT_EQ(checker.enroll(m_checkerCodes[team], newUuid()), 200);
    std::map<std::pair<std::string, std::uint64_t>, int> seen;
    std::map<std::string, std::string> content;
    for (const sync::Change& change : pullEverything(checker)) {
      ++seen[{change.id.deviceId, change.id.sequence}];
      if (change.kind != domain::RecordKind::kFinding) continue;
      auto next = codec::applyFields(change.kind, content[change.recordId], change.fields);
      ASSERT_TRUE(next) << next.status().toString();
      content[change.recordId] = std::move(next).value();
    }
    Tally lost, duplicated, foreign, wrongContent;
    for (const Tablet& t : m_tablets) {
      for (const sync::Change& change : t.made) {
        const std::string name = t.deviceId() + " #" + std::to_string(change.id.sequence);
        const int n = seen[{t.deviceId(), change.id.sequence}];
        if (t.team != team && n > 0) foreign.add(name);
        if (t.team == team && n == 0) lost.add(name);
        if (t.team == team && n > 1) duplicated.add(name);
      }
      if (t.team != team) continue;
      for (const auto& [id, expected] : t.expected) {
        if (content[id] != expected) wrongContent.add(id);
      }
    }
    EXPECT_EQ(lost.count, 0u) << "e.g. " << lost.example;
    EXPECT_EQ(duplicated.count, 0u) << "e.g. " << duplicated.example;
    EXPECT_EQ(foreign.count, 0u) << "another team's change, e.g. " << foreign.example;
    EXPECT_EQ(wrongContent.count, 0u)
        << "findings not as their author left them, e.g. " << wrongContent.example;
  }

  // In the store itself, with the server stopped: the whole log, the exactly-once bookkeeping,
  // each finding's content and merge state, and SQLite's own integrity check.
  void checkStore(std::size_t total) {
    auto store = server::db::openSqliteServerStore(dataDir());
    ASSERT_TRUE(store) << store.status().toString();
    std::map<std::pair<std::string, std::uint64_t>, int> logged;
    std::set<std::uint64_t> examined;
    std::uint64_t head = 0;
    Tally notApplied, wrongContent, conflicted;
    const Status read = (*store)->read([&](server::db::StoreSession& s) -> Status {
      auto h = s.logHead();
      if (!h) return h.status();
      head = *h;
      // Monitors A and B between them see every scope this test writes to.
      for (const std::string& monitor : {m_data.monitorA, m_data.monitorB}) {
        auto page = s.readLogForMonitor(0, static_cast<std::size_t>(head) + 1, monitor, "");
        if (!page) return page.status();
        for (const auto& entry : page->first) {
          if (!examined.insert(entry.seq).second) continue;
          auto change = codec::decodeChange(entry.encoded);
          if (!change) return change.status();
          ++logged[{change->id.deviceId, change->id.sequence}];
        }
      }
      for (const Tablet& t : m_tablets) {
        for (std::uint64_t seq = 1; seq <= t.made.size() + 1; ++seq) {
          auto applied = s.isApplied(t.deviceId(), seq);
          if (!applied) return applied.status();
          if (*applied != (seq <= t.made.size()))
            notApplied.add(t.deviceId() + " #" + std::to_string(seq));
        }
        for (const auto& [id, expected] : t.expected) {
          auto record = s.loadRecord(id);
          if (!record) return record.status();
          if (!*record || (*record)->content != expected || (*record)->deleted) {
            wrongContent.add(id);
          } else if (!(*record)->merge.conflictedFields().empty()) {
            conflicted.add(id);
          }
        }
      }
      return Status::ok();
    });
    ASSERT_TRUE(read) << read.toString();
    EXPECT_EQ(examined.size(), head) << "log entries in no scope a monitor sees";
    EXPECT_EQ(notApplied.count, 0u) << "applied_changes disagrees, e.g. " << notApplied.example;
    EXPECT_EQ(wrongContent.count, 0u)
        << "findings not as their author left them, e.g. " << wrongContent.example;
    EXPECT_EQ(conflicted.count, 0u) << "e.g. " << conflicted.example;

    Tally lost, duplicated;
    std::size_t fromTablets = 0;
    for (const Tablet& t : m_tablets) {
      for (const sync::Change& change : t.made) {
        const auto it = logged.find({t.deviceId(), change.id.sequence});
        const std::string name = t.deviceId() + " #" + std::to_string(change.id.sequence);
        if (it == logged.end()) lost.add(name);
        if (it != logged.end() && it->second > 1) duplicated.add(name);
      }
      for (const auto& [key, n] : logged) {
        if (key.first == t.deviceId()) fromTablets += static_cast<std::size_t>(n);
      }
    }
    EXPECT_EQ(lost.count, 0u) << "e.g. " << lost.example;
    EXPECT_EQ(duplicated.count, 0u) << "e.g. " << duplicated.example;
    EXPECT_EQ(fromTablets, total) << "log entries of changes the tablets never made";
    m_lost = lost.count;
    m_duplicated = duplicated.count;
    store->reset();

    auto db = storage::Database::open(dataDir() / "opcat-server.db", /*create=*/false);
    ASSERT_TRUE(db) << db.status().toString();
    auto integrity = (*db)->prepare("PRAGMA integrity_check");
    ASSERT_TRUE(integrity);
    ASSERT_TRUE(integrity->step());
    EXPECT_EQ(integrity->columnText(0), "ok");
  }

  TempDir m_temp{"opcat-fault"};
  SeededData m_data;
  std::vector<Tablet> m_tablets;
  std::map<int, std::string> m_checkerCodes;  // team → a code for a fresh tablet that pulls
  std::unique_ptr<ServerProcess> m_server;
  std::size_t m_lost = 0, m_duplicated = 0;
};

TEST_F(ServerCrashTest, KillNineWhilePushingLosesNothingAndAppliesNothingTwice) {
  const auto started = Clock::now();
  std::mt19937 rng(kSeed);
  const std::size_t total = changeCount();
  for (std::size_t i = 0; i < m_tablets.size(); ++i) {
    Tablet& t = m_tablets[i];
    makeChanges(t, total / m_tablets.size() + (i < total % m_tablets.size() ? 1 : 0), rng);
    SyncClient client(m_server->url());
    ASSERT_EQ(client.enroll(t.code, t.deviceId()), 200);
    t.token = client.token();
  }

  const RunSummary run = pushWhileKilling(rng, total);
  const auto pushed = Clock::now();
  checkThroughPull(1);
  checkThroughPull(2);
  ASSERT_EQ(m_server->stop(), 0);
  checkStore(total);

  const auto seconds = [](Clock::duration d) { return std::chrono::duration<double>(d).count(); };
  std::cout << "fault: " << total << " changes from " << m_tablets.size() << " tablets in "
            << run.attempts << " pushes (" << run.transportFailures << " cut or refused), "
            << run.kills << " kills (" << run.killsWhilePushing << " while pushing); lost "
            << m_lost << ", duplicated " << m_duplicated << "; pushing took "
            << seconds(pushed - started) << " s, all " << seconds(Clock::now() - started) << " s\n";
}

}  // namespace
}  // namespace opcat::testing
