// The one-transaction rule: a record and its outbox entry are written together or not at all.
// Failures are injected inside SQLite itself (a trigger that aborts), between the writes.
#include <gtest/gtest.h>

#include "core/uuid.h"
#include "storage/history.h"
#include "storage/outbox.h"
#include "storage/repositories.h"
#include "store_fixture.h"
#include "support/sample_records.h"
#include "sync/codec/record_codec.h"

namespace opcat::testing {
namespace {

using storage::FindingRepository;

class TransactionTest : public StoreTest {
 protected:
  void failInsertsInto(const std::string& table) {
    ASSERT_TRUE(store()
                    .database()
                    .exec("CREATE TEMP TRIGGER fail_" + table + " BEFORE INSERT ON main." +
                          table + " BEGIN SELECT RAISE(ABORT, 'injected failure'); END;")
                    .isOk());
  }
  void stopFailing(const std::string& table) {
    ASSERT_TRUE(store().database().exec("DROP TRIGGER temp.fail_" + table).isOk());
  }
  std::int64_t count(const std::string& table) {
    auto stmt = store().database().prepare("SELECT count(*) FROM " + table);
    EXPECT_TRUE(stmt.isOk());
    EXPECT_TRUE(stmt->step());
    return stmt->columnInt(0);
  }
};

TEST_F(TransactionTest, FailureWritingTheOutboxLeavesNoRecord) {
  failInsertsInto("outbox");
  const auto finding = sampleFinding(newUuid());
  const Status s = FindingRepository(store()).save(finding, "m");
  ASSERT_FALSE(s.isOk());
  EXPECT_NE(s.message().find("injected failure"), std::string::npos) << s.message();
  EXPECT_EQ(count("records"), 0);
  EXPECT_EQ(count("outbox"), 0);
  EXPECT_EQ(count("history"), 0);
}

TEST_F(TransactionTest, FailureWritingHistoryLeavesNeitherRecordNorOutbox) {
  failInsertsInto("history");
  ASSERT_FALSE(FindingRepository(store()).save(sampleFinding(newUuid()), "m").isOk());
  EXPECT_EQ(count("records"), 0);
  EXPECT_EQ(count("outbox"), 0);
}

TEST_F(TransactionTest, AFailedEditKeepsThePreviousVersionWhole) {
  FindingRepository repo(store());
  auto finding = sampleFinding(newUuid());
  ASSERT_TRUE(repo.save(finding, "m").isOk());
  const auto original = finding;
  failInsertsInto("outbox");
  finding.title = "Изменённый заголовок";
  ASSERT_FALSE(repo.save(finding, "m").isOk());
  stopFailing("outbox");
  auto found = repo.find(finding.id);
  ASSERT_TRUE(found.isOk() && found->has_value());
  EXPECT_EQ(**found, original);
  EXPECT_EQ(count("outbox"), 1);
  EXPECT_EQ(count("history"), 1);
  // The store keeps working, and the retried edit goes through with a fresh sequence.
  ASSERT_TRUE(repo.save(finding, "m").isOk());
  EXPECT_EQ(count("outbox"), 2);
}

TEST_F(TransactionTest, AFailedDeleteKeepsTheRecordLive) {
  FindingRepository repo(store());
  const auto finding = sampleFinding(newUuid());
  ASSERT_TRUE(repo.save(finding, "m").isOk());
  failInsertsInto("outbox");
  ASSERT_FALSE(repo.remove(finding.id, "m").isOk());
  auto found = repo.find(finding.id);
  ASSERT_TRUE(found.isOk());
  EXPECT_TRUE(found->has_value());
}

TEST_F(TransactionTest, FailureInAnAttachedStatementRollsBackTheRecordToo) {
  const auto finding = sampleFinding(newUuid());
  storage::RecordWrite write{domain::RecordKind::kFinding, finding.id, finding.visitId,
                             codec::encode(finding), "m", false,
                             [](storage::Database&) {
                               return Status::error(StatusCode::kIoError, "disk full");
                             }};
  EXPECT_EQ(store().write(write).code(), StatusCode::kIoError);
  EXPECT_EQ(count("records"), 0);
  EXPECT_EQ(count("outbox"), 0);
}

}  // namespace
}  // namespace opcat::testing

namespace opcat::testing {
namespace {

TEST_F(TransactionTest, ABatchIsWrittenWholeOrNotAtAll) {
  const std::string visit = newUuid();
  std::vector<domain::Finding> batch = {sampleFinding(visit), sampleFinding(visit),
                                        sampleFinding(visit)};
  failInsertsInto("history");
  EXPECT_FALSE(FindingRepository(store()).saveAll(batch, "m").isOk());
  EXPECT_EQ(count("records"), 0);
  stopFailing("history");
  batch[2].title.clear();  // invalid: refused before anything is written
  EXPECT_EQ(FindingRepository(store()).saveAll(batch, "m").code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(count("records"), 0);
  batch[2].title = "Нет доступа к питьевой воде";
  ASSERT_TRUE(FindingRepository(store()).saveAll(batch, "m").isOk());
  EXPECT_EQ(count("records"), 3);
  EXPECT_EQ(count("outbox"), 3);
}

TEST_F(TransactionTest, ARefetchableTransactionRelaxesOnlyItself) {
  storage::Database& db = store().database();
  {
    auto tx = storage::Transaction::begin(db, storage::Durability::kRefetchable);
    ASSERT_TRUE(tx.isOk());
    EXPECT_EQ(synchronousLevel(db), 1);
    ASSERT_TRUE(tx->commit().isOk());
  }
  EXPECT_EQ(synchronousLevel(db), 2) << "restored after a commit";
  {
    auto tx = storage::Transaction::begin(db, storage::Durability::kRefetchable);
    ASSERT_TRUE(tx.isOk());
  }
  EXPECT_EQ(synchronousLevel(db), 2) << "restored after a rollback";
  ASSERT_TRUE(db.exec("BEGIN").isOk());
  EXPECT_FALSE(storage::Transaction::begin(db, storage::Durability::kRefetchable).isOk());
  EXPECT_EQ(synchronousLevel(db), 2) << "restored when BEGIN fails";
  ASSERT_TRUE(db.exec("ROLLBACK").isOk());
  {
    auto tx = storage::Transaction::begin(db);
    ASSERT_TRUE(tx.isOk());
    EXPECT_EQ(synchronousLevel(db), 2) << "kOnDisk is the default";
  }
}

}  // namespace
}  // namespace opcat::testing
