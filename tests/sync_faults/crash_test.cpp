// kill -9 on either side of a sync, with the real tablet engine (SYNC.md rules 1-4).
//
// Server: five tablets of team 1 record findings, edit some after pushing them, and sync in a
// loop while opcat-server is killed with SIGKILL at seeded random moments and restarted on the
// same port. Client: `opcat-sync once` is killed with SIGKILL at seeded random moments while it
// pulls a large log, and started again, until a run completes.
//
// The oracle is what each tablet wrote: at the end every replica (each tablet, and a fresh
// tablet pulling the server's state) holds exactly those findings with their last content, the
// server's log holds each (device, sequence) exactly once, and no pull cursor ever pointed past
// the log or past the data of its store.
//
// OPCAT_FAULT_SCALE=N multiplies the number of changes (run the binary directly for long runs:
// ctest's timeout is sized for CI).
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <fstream>
#include <iostream>
#include <optional>
#include <mutex>
#include <random>
#include <set>
#include <thread>

#include "fault_tablet.h"
#include "storage/outbox.h"
#include "storage/repositories.h"
#include "support/child_process.h"
#include "support/sample_records.h"
#include "support/server_process.h"
#include "support/temp_dir.h"
#include "sync/codec/record_codec.h"

namespace opcat::testing {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

constexpr std::uint32_t kSeed = 20251125;
constexpr std::size_t kKills = 20;  // scaled too

double secondsSince(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// A finding with a paragraph of text, as monitors write them.
domain::Finding newFinding(const std::string& visitId, const std::string& monitorId,
                           std::mt19937& rng, std::size_t n) {
  auto f = sampleFinding(visitId, static_cast<domain::ThematicArea>(1 + rng() % 6),
                         static_cast<domain::Severity>(1 + rng() % 4));
  f.authorMonitorId = monitorId;
  f.title = "Находка " + std::to_string(n);
  f.description += " Запись " + std::to_string(n) + ": осмотр камер, журнал учёта.";
  return f;
}

// ---------------------------------------------------------------------------------------------
// The server killed while five tablets sync.

struct Client {
  FaultTablet tablet;
  std::mt19937 rng;
  std::map<std::string, domain::Finding> written;  // the last content this tablet wrote
  std::vector<std::string> pushed;                 // created and acknowledged since
  std::size_t changes = 0;
  std::size_t edits = 0;
  std::size_t attempts = 0;
  std::size_t failures = 0;
  std::uint64_t maxCursor = 0;  // the highest pull cursor its store ever held
  std::string error;            // set when the client cannot go on; the test fails with it
};

class ServerCrashTest : public ::testing::Test {
 protected:
  void SetUp() override {
    m_seeded = seedServerData(m_temp / "server");
    ServerProcess::Options options;
    options.dataDir = m_temp / "server";
    m_server = std::make_unique<ServerProcess>(options);
  }

  // One successful sync, retried after failures with a seeded pause of 50–200 ms (the suite
  // kills faster than net::Backoff's one-second base would let a tablet notice).
  bool syncUntilOk(Client& c, Clock::time_point deadline) {
    std::uniform_int_distribution<int> pause(50, 200);
    for (;;) {
      ++c.attempts;
      auto report = c.tablet.engine->syncOnce();
      auto cursor = c.tablet.store->pullCursor();
      if (cursor) c.maxCursor = std::max(c.maxCursor, *cursor);
      if (report) {
        if (report->rejected != 0) {
          c.error = "the server refused " + std::to_string(report->rejected) + " changes";
          return false;
        }
        return true;
      }
      ++c.failures;
      if (m_abort || Clock::now() > deadline) {
        c.error = "no successful sync before the deadline; last: " + report.status().toString();
        return false;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(pause(c.rng)));
    }
  }

  // Writes `total` changes in rounds (new findings, and edits of findings already pushed),
  // syncing after each round, then keeps syncing until the killer is done.
  void runClient(Client& c, std::size_t total, Clock::time_point deadline) {
    const std::size_t editTarget = total / 5;
    storage::FindingRepository repo(*c.tablet.store);
    while (c.changes < total) {
      const std::size_t left = total - c.changes;
      const std::size_t editsLeft = editTarget - c.edits;
      std::vector<domain::Finding> batch;
      const bool edit = editsLeft > 0 && !c.pushed.empty() && (left == editsLeft || c.rng() % 3 == 0);
      if (edit) {
        std::shuffle(c.pushed.begin(), c.pushed.end(), c.rng);
        const std::size_t k =
            std::min({editsLeft, c.pushed.size(), std::size_t{20} + c.rng() % 60});
        for (std::size_t i = 0; i < k; ++i) {
          domain::Finding f = c.written.at(c.pushed[i]);
          f.title = "Находка, правка " + std::to_string(c.changes + i);  // always differs
          f.severity = static_cast<domain::Severity>(1 + c.rng() % 4);
          f.description += " Дополнено.";
          batch.push_back(std::move(f));
        }
        c.edits += k;
      } else {
        const std::size_t k = std::min(left - editsLeft, std::size_t{50} + c.rng() % 150);
        for (std::size_t i = 0; i < k; ++i) {
          batch.push_back(newFinding(m_seeded.visit1, c.tablet.monitorId, c.rng, c.changes + i));
        }
      }
      const Status saved = repo.saveAll(batch, c.tablet.monitorId);
      if (!saved.isOk()) {
        c.error = "save: " + saved.toString();
        return;
      }
      c.changes += batch.size();
      if (!syncUntilOk(c, deadline)) return;
      for (auto& f : batch) {
        if (!edit) c.pushed.push_back(f.id);
        c.written[f.id] = std::move(f);
      }
    }
    --m_pushing;
    // Pull rounds, so that the remaining kills still land on syncs in flight.
    while (!m_killerDone && !m_abort) {
      if (!syncUntilOk(c, deadline)) return;
      std::this_thread::sleep_for(std::chrono::milliseconds(20 + c.rng() % 80));
    }
  }

  TempDir m_temp{"opcat-crash"};
  SeededData m_seeded;
  std::unique_ptr<ServerProcess> m_server;
  std::atomic<int> m_pushing{0};  // clients still writing and pushing
  std::atomic<bool> m_killerDone{false};
  std::atomic<bool> m_abort{false};
};

TEST_F(ServerCrashTest, KilledTwentyTimesWhileFiveTabletsSyncLosesAndDuplicatesNothing) {
  constexpr int kClients = 5;
  const std::size_t perClient = scaled(2000);
  const auto started = Clock::now();
  const auto deadline = started + std::chrono::seconds(150) * static_cast<int>(scaled(1));

  std::vector<std::unique_ptr<Client>> clients;
  for (int i = 0; i < kClients; ++i) {
    auto c = std::make_unique<Client>();
    // Both monitors of team 1, several tablets each.
    const std::string& monitor = i % 2 == 0 ? m_seeded.monitorA : m_seeded.monitorA2;
    c->tablet = makeFaultTablet(m_temp / ("tablet" + std::to_string(i)), m_temp / "server",
                                m_seeded, monitor, m_server->url());
    c->rng.seed(kSeed + static_cast<std::uint32_t>(i));
    clients.push_back(std::move(c));
  }
  m_pushing = kClients;

  // The killer: SIGKILL after a seeded delay, restart on the same port, twenty times.
  const std::size_t killCount = scaled(kKills);
  std::string killerError;
  std::vector<double> killedAt;
  std::size_t killsWhilePushing = 0;
  std::thread killer([&] {
    std::mt19937 rng(kSeed);
    std::uniform_int_distribution<int> delay(60, 350);
    for (std::size_t i = 0; i < killCount && !m_abort; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(delay(rng)));
      m_server->kill9();
      killedAt.push_back(secondsSince(started));
      if (m_pushing > 0) ++killsWhilePushing;
      std::this_thread::sleep_for(std::chrono::milliseconds(rng() % 100));  // down for a while
      try {
        m_server->restart();
      } catch (const std::exception& e) {
        killerError = e.what();
        m_abort = true;
      }
    }
    m_killerDone = true;
  });
  std::vector<std::thread> threads;
  for (auto& c : clients) {
    threads.emplace_back([&, client = c.get()] { runClient(*client, perClient, deadline); });
  }
  for (auto& t : threads) t.join();
  killer.join();
  ASSERT_TRUE(killerError.empty()) << "the server did not come back: " << killerError;
  ASSERT_EQ(killedAt.size(), killCount);
  for (auto& c : clients) ASSERT_TRUE(c->error.empty()) << c->error;
  const double syncSeconds = secondsSince(started);

  // A last round with the server up: everyone pulls what the others pushed last.
  for (auto& c : clients) ASSERT_TRUE(syncUntilOk(*c, deadline)) << c->error;

  Replica expected;
  for (auto& c : clients) {
    for (const auto& [id, f] : c->written) expected[id] = codec::encode(f);
  }
  ASSERT_EQ(expected.size(), perClient * kClients - perClient / 5 * kClients);
  const std::string want = digestOf(expected);

  FaultTablet fresh = makeFaultTablet(m_temp / "fresh", m_temp / "server", m_seeded,
                                      m_seeded.monitorA2, m_server->url());
  auto freshReport = fresh.engine->syncOnce();
  ASSERT_TRUE(freshReport.isOk()) << freshReport.status().toString();
  auto freshReplica = findingsOf(*fresh.store, m_seeded.visit1);
  ASSERT_TRUE(freshReplica.isOk()) << freshReplica.status().toString();
  EXPECT_EQ(differences(expected, *freshReplica), "") << "the server's state, pulled afresh";
  EXPECT_EQ(digestOf(*freshReplica), want);

  std::vector<std::uint64_t> cursors;
  for (std::size_t i = 0; i < clients.size(); ++i) {
    Client& c = *clients[i];
    auto replica = findingsOf(*c.tablet.store, m_seeded.visit1);
    ASSERT_TRUE(replica.isOk()) << replica.status().toString();
    EXPECT_EQ(differences(expected, *replica), "") << "tablet " << i;
    EXPECT_EQ(digestOf(*replica), want) << "tablet " << i;
    EXPECT_EQ(*storage::Outbox(*c.tablet.store).pendingCount(), 0) << "tablet " << i;
    EXPECT_TRUE(c.tablet.store->conflictedRecords()->empty()) << "tablet " << i;
    cursors.push_back(*c.tablet.store->pullCursor());
  }
  const std::uint64_t freshCursor = *fresh.store->pullCursor();

  // The server's log, read from its store once it has stopped.
  ASSERT_EQ(m_server->stop(), 0);
  const ServerLog serverLog = readServerLog(m_temp / "server");
  std::map<std::string, std::size_t> index;
  for (std::size_t i = 0; i < clients.size(); ++i) index[clients[i]->tablet.store->deviceId()] = i;
  std::vector<std::set<std::uint64_t>> sequences(clients.size());
  std::size_t duplicated = 0;
  for (const auto& entry : serverLog.entries) {
    const auto found = index.find(entry.change.id.deviceId);
    if (found == index.end()) continue;
    if (!sequences[found->second].insert(entry.change.id.sequence).second) ++duplicated;
  }
  EXPECT_EQ(duplicated, 0u) << "(device, sequence) pairs logged more than once";
  for (std::size_t i = 0; i < clients.size(); ++i) {
    EXPECT_EQ(sequences[i].size(), clients[i]->changes) << "changes of tablet " << i << " logged";
    EXPECT_LE(clients[i]->maxCursor, serverLog.head) << "tablet " << i << " pulled past the log";
    EXPECT_EQ(cursors[i], serverLog.head) << "tablet " << i << " is not at the log's head";
  }
  EXPECT_EQ(freshCursor, serverLog.head);

  std::size_t attempts = 0, failures = 0, changes = 0;
  for (auto& c : clients) {
    attempts += c->attempts;
    failures += c->failures;
    changes += c->changes;
  }
  std::cout << "[ server crash ] " << killedAt.size() << " kills (" << killsWhilePushing
            << " while tablets were still pushing; last at " << killedAt.back() << " s), " << changes << " changes by " << kClients << " tablets ("
            << expected.size() << " findings), " << attempts << " syncs of which " << failures
            << " failed; synced in " << syncSeconds << " s; log head " << serverLog.head
            << "; digest " << want << "; 0 lost, " << duplicated << " duplicated\n";
}

// ---------------------------------------------------------------------------------------------
// The client process killed while it pulls.

// Starts `binary args` with standard input read from `stdinFile`, and stdout and stderr
// appended to `logFile`.
pid_t spawnWithInput(const std::string& binary, const std::vector<std::string>& args,
                     const std::filesystem::path& stdinFile, const std::filesystem::path& logFile) {
  std::vector<std::string> argvStrings{binary};
  argvStrings.insert(argvStrings.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& a : argvStrings) argv.push_back(a.data());
  argv.push_back(nullptr);
  const int in = ::open(stdinFile.c_str(), O_RDONLY | O_CLOEXEC);
  const int out = ::open(logFile.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
  if (in < 0 || out < 0) throw std::runtime_error("cannot open the child's files");
  const pid_t pid = ::fork();
  if (pid == 0) {
    ::dup2(in, STDIN_FILENO);
    ::dup2(out, STDOUT_FILENO);
    ::dup2(out, STDERR_FILENO);
    ::execv(binary.c_str(), argv.data());
    ::_exit(127);
  }
  ::close(in);
  ::close(out);
  if (pid < 0) throw std::runtime_error("fork failed");
  return pid;
}

class ClientCrashTest : public ::testing::Test {
 protected:
  void SetUp() override {
    m_seeded = seedServerData(m_temp / "server");
    ServerProcess::Options options;
    options.dataDir = m_temp / "server";
    m_server = std::make_unique<ServerProcess>(options);
    m_pusher = makeFaultTablet(m_temp / "pusher", m_temp / "server", m_seeded,
                               m_seeded.monitorA, m_server->url());
  }

  // The pusher records `n` findings (saved in batches, as an import would) and pushes them.
  void pushFindings(std::size_t n) {
    storage::FindingRepository repo(*m_pusher.store);
    std::mt19937 rng(kSeed + static_cast<std::uint32_t>(m_pushed));
    for (std::size_t done = 0; done < n; done += 500) {
      std::vector<domain::Finding> batch;
      for (std::size_t i = done; i < std::min(n, done + 500); ++i) {
        batch.push_back(newFinding(m_seeded.visit1, m_seeded.monitorA, rng, m_pushed + i));
      }
      const Status s = repo.saveAll(batch, m_seeded.monitorA);
      if (!s.isOk()) throw std::runtime_error(s.toString());
    }
    auto report = m_pusher.engine->syncOnce();
    if (!report || report->accepted != n) {
      throw std::runtime_error("push: " + (report ? report->summary() : report.status().toString()));
    }
    m_pushed += n;
  }

  TempDir m_temp{"opcat-client-crash"};
  SeededData m_seeded;
  std::unique_ptr<ServerProcess> m_server;
  FaultTablet m_pusher;
  std::size_t m_pushed = 0;
};

TEST_F(ClientCrashTest, OpcatSyncKilledTwentyTimesWhilePullingNeverCorruptsOrSkips) {
  const std::size_t count = scaled(10000);
  pushFindings(count);
  const std::filesystem::path dir = m_temp / "puller";
  {
    // Enrolled, then closed: from here on only the opcat-sync process opens it.
    FaultTablet puller =
        makeFaultTablet(dir, m_temp / "server", m_seeded, m_seeded.monitorA2, m_server->url());
  }
  const std::filesystem::path passphrase = m_temp / "passphrase";
  std::ofstream(passphrase) << kFaultPassphrase << "\n";
  const std::filesystem::path childLog = m_temp / "opcat-sync.log";

  // How long a whole pull takes here, measured with an in-process tablet: the kill points are
  // spread over a tenth of that plus one page, after the start-up timed below, so that twenty
  // kills carry the pull through most of the log (the rest is the final run's) on a fast or a
  // slow machine alike.
  FaultTablet probe =
      makeFaultTablet(m_temp / "probe", m_temp / "server", m_seeded, m_seeded.monitorA2,
                      m_server->url());
  const auto probeStart = Clock::now();
  auto probed = probe.engine->syncOnce();
  ASSERT_TRUE(probed.isOk()) << probed.status().toString();
  const double pullSeconds = secondsSince(probeStart);
  const double pages = static_cast<double>(count / 1000 + 1);
  const int spreadMs = std::max(50, static_cast<int>(1000 * pullSeconds * (0.1 + 1 / pages)));
  // What a run costs before it pulls (process start, unlocking the store, planning), timed with
  // a run that has nothing to pull: on a loaded machine it alone can outlast the spread, and
  // every kill would then land before the first page.
  const auto idleStart = Clock::now();
  const pid_t idle = spawnWithInput(OPCAT_SYNC_BINARY,
                                    {"once", "--data", (m_temp / "probe").string(), "--fast-kdf"},
                                    passphrase, childLog);
  const std::optional<int> idleExit = waitForProcess(idle, 120s);
  ASSERT_TRUE(idleExit.has_value() && *idleExit == 0) << std::ifstream(childLog).rdbuf();
  int startMs = static_cast<int>(1000 * secondsSince(idleStart));
  std::mt19937 rng(kSeed);
  int killFromMs = startMs / 2 + 5, killToMs = startMs + spreadMs;
  const std::size_t killCount = scaled(kKills);

  std::uint64_t lastCursor = 0;
  std::size_t kills = 0, completedEarly = 0;
  std::vector<std::uint64_t> cursorsAtKills;
  std::vector<double> runSeconds;
  ServerLog serverLog = readServerLog(m_temp / "server");
  auto expectedAll = findingsOf(*m_pusher.store, m_seeded.visit1);
  ASSERT_TRUE(expectedAll.isOk());
  for (;;) {
    const bool killThisRun = kills < killCount;
    const auto t0 = Clock::now();
    const pid_t pid = spawnWithInput(OPCAT_SYNC_BINARY, {"once", "--data", dir.string(), "--fast-kdf"},
                                     passphrase, childLog);
    std::optional<int> exit;
    if (killThisRun) {
      const int delayMs = std::uniform_int_distribution<int>(killFromMs, killToMs)(rng);
      exit = waitForProcess(pid, std::chrono::milliseconds(delayMs));
      if (!exit) {
        ::kill(pid, SIGKILL);
        exit = waitForProcess(pid, 10s);
        ASSERT_TRUE(exit.has_value());
        // A run may end on its own between the wait and the kill: then it completed (exit 0,
        // checked below like any other run) and was not killed.
        if (*exit == 128 + SIGKILL) ++kills;
      }
    } else {
      exit = waitForProcess(pid, 120s);
      ASSERT_TRUE(exit.has_value()) << "opcat-sync hung";
    }
    const bool completed = *exit == 0;
    runSeconds.push_back(secondsSince(t0));
    ASSERT_TRUE(completed || *exit == 128 + SIGKILL)
        << "opcat-sync failed (" << *exit << ") after " << secondsSince(t0) << " s:\n"
        << std::ifstream(childLog).rdbuf();

    // Whatever the moment of the kill: the store opens, is intact, and holds exactly the
    // changes up to its cursor.
    auto store = storage::TabletStore::open(dir, kFaultPassphrase, fastStoreOptions());
    ASSERT_TRUE(store.isOk()) << "after kill " << kills << ": " << store.status().toString();
    auto check = (*store)->database().prepare("PRAGMA integrity_check");
    ASSERT_TRUE(check.isOk() && check->step());
    ASSERT_EQ(check->columnText(0), "ok") << "after kill " << kills;
    const std::uint64_t cursor = *(*store)->pullCursor();
    ASSERT_GE(cursor, lastCursor) << "the cursor went backwards";
    ASSERT_LE(cursor, serverLog.head) << "the cursor points past the server's log";
    Replica upToCursor;
    for (const auto& entry : serverLog.entries) {
      if (entry.seq > cursor) break;
      if (entry.change.kind == domain::RecordKind::kFinding &&
          entry.change.parentId == m_seeded.visit1) {
        upToCursor[entry.change.recordId] = expectedAll->at(entry.change.recordId);
      }
    }
    auto replica = findingsOf(**store, m_seeded.visit1);
    ASSERT_TRUE(replica.isOk()) << replica.status().toString();
    ASSERT_EQ(differences(upToCursor, *replica), "")
        << "after kill " << kills << ", cursor " << cursor;
    lastCursor = cursor;
    if (!completed) {
      cursorsAtKills.push_back(cursor);
      continue;
    }

    ASSERT_EQ(cursor, serverLog.head);
    if (kills >= killCount) {
      EXPECT_EQ(differences(*expectedAll, *replica), "");
      EXPECT_EQ(digestOf(*replica), digestOf(*expectedAll));
      EXPECT_EQ(replica->size(), m_pushed);
      break;
    }
    // Done before twenty kills: give the next runs something to pull. The start-up was timed
    // at one moment of a possibly loaded machine; if it was inflated, every later run beat its
    // kill and the loop only pushed and pulled more. So time the start-up again now, with a
    // run that has nothing left to pull, keep the shorter one, and keep the window inside
    // what a whole run just took. A whole pull's worth follows, as at the start, so the
    // remaining kills still have every page of one to land in.
    ++completedEarly;
    ASSERT_LE(completedEarly, 10u) << "runs keep completing before their kill (window "
                                   << killFromMs << "-" << killToMs << " ms)";
    const int tookMs = static_cast<int>(1000 * runSeconds.back());
    store.value().reset();
    const auto retimed = Clock::now();
    const pid_t idleAgain = spawnWithInput(
        OPCAT_SYNC_BINARY, {"once", "--data", dir.string(), "--fast-kdf"}, passphrase, childLog);
    const std::optional<int> idleAgainExit = waitForProcess(idleAgain, 120s);
    ASSERT_TRUE(idleAgainExit.has_value() && *idleAgainExit == 0)
        << std::ifstream(childLog).rdbuf();
    startMs = std::min(startMs, static_cast<int>(1000 * secondsSince(retimed)));
    killToMs = std::max(10, std::min(startMs + spreadMs, tookMs * 9 / 10));
    killFromMs = std::min(startMs / 2 + 5, killToMs / 2);
    pushFindings(count);
    serverLog = readServerLog(m_temp / "server");
    expectedAll = findingsOf(*m_pusher.store, m_seeded.visit1);
    ASSERT_TRUE(expectedAll.isOk());
  }
  std::set<std::pair<std::string, std::uint64_t>> logged;
  for (const auto& entry : serverLog.entries) {
    EXPECT_TRUE(logged.insert({entry.change.id.deviceId, entry.change.id.sequence}).second)
        << "logged twice: change " << entry.change.id.sequence << " of " << entry.change.id.deviceId;
  }
  const std::size_t distinctCursors =
      std::set<std::uint64_t>(cursorsAtKills.begin(), cursorsAtKills.end()).size();
  EXPECT_GE(distinctCursors, 3u) << "the kills should land at several points of the pull";
  std::cout << "[ client crash ] " << kills << " kills at " << killFromMs << "-" << killToMs
            << " ms (a whole pull took " << pullSeconds << " s in process), "
            << m_pushed << " findings pulled; cursor at each kill:";
  for (auto c : cursorsAtKills) std::cout << ' ' << c;
  std::cout << "; " << completedEarly << " runs completed before their kill; the last run took "
            << runSeconds.back() << " s; the store opened intact after every kill; 0 lost, "
               "0 duplicated\n";
}

}  // namespace
}  // namespace opcat::testing
