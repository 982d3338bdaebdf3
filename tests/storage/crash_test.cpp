// kill -9 of a process in the middle of writing: after reopening, every record is whole and
// matches its outbox and history exactly (SYNC.md rule 2), and the store keeps working.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <map>
#include <random>

#include "core/uuid.h"
#include "storage/outbox.h"
#include "storage/repositories.h"
#include "store_fixture.h"
#include "support/sample_records.h"

namespace opcat::testing {
namespace {

// Child process body: saves new findings and edits them until killed. Never returns.
[[noreturn]] void writeForever(const std::filesystem::path& dir) {
  auto opened = storage::TabletStore::open(dir, kPassphrase, fastStoreOptions());
  if (!opened) _exit(3);
  storage::FindingRepository repo(**opened);
  const std::string visit = newUuid();
  for (int i = 0;; ++i) {
    auto finding = sampleFinding(visit);
    if (!repo.save(finding, "m").isOk()) _exit(4);
    finding.title += " (" + std::to_string(i) + ")";
    if (!repo.save(finding, "m").isOk()) _exit(5);
  }
}

std::map<std::string, std::int64_t> countsBy(storage::Database& db, const std::string& table) {
  std::map<std::string, std::int64_t> out;
  auto stmt = db.prepare("SELECT record_id, count(*) FROM " + table + " GROUP BY record_id");
  while (stmt->step()) out[std::string(stmt->columnText(0))] = stmt->columnInt(1);
  return out;
}

TEST_F(StoreTest, KillDashNineMidWriteLosesNothingHalfWritten) {
  close();
  std::mt19937 rng(20261125);
  std::uniform_int_distribution<int> delayMs(20, 250);
  std::size_t written = 0;
  for (int round = 0; round < 8; ++round) {
    const pid_t child = fork();
    ASSERT_GE(child, 0);
    if (child == 0) writeForever(dataDir());
    usleep(static_cast<useconds_t>(delayMs(rng) * 1000));
    ASSERT_EQ(kill(child, SIGKILL), 0);
    int status = 0;
    ASSERT_EQ(waitpid(child, &status, 0), child);
    ASSERT_TRUE(WIFSIGNALED(status)) << "the writer stopped by itself with " << status;

    reopen();
    auto& db = store().database();
    const auto outbox = countsBy(db, "outbox");
    const auto history = countsBy(db, "history");
    EXPECT_EQ(outbox, history) << "round " << round;
    auto records = store().queryRecords("WHERE kind = 10", nullptr);
    ASSERT_TRUE(records.isOk()) << records.status().toString();
    for (const auto& r : *records) {
      EXPECT_TRUE(outbox.count(r.id)) << "record without its outbox entry: " << r.id;
      auto found = storage::FindingRepository(store()).find(r.id);
      ASSERT_TRUE(found.isOk()) << found.status().toString();
    }
    EXPECT_EQ(records->size(), outbox.size());
    written = records->size();
    auto pending = storage::Outbox(store()).peek(1'000'000, std::size_t{1} << 40);
    ASSERT_TRUE(pending.isOk()) << pending.status().toString();
    for (std::size_t i = 1; i < pending->size(); ++i) {
      ASSERT_LT((*pending)[i - 1].change.hlc, (*pending)[i].change.hlc);
    }
    close();
  }
  EXPECT_GT(written, 10u) << "the writers must have been killed mid-work, not before it";
}

}  // namespace
}  // namespace opcat::testing
