// Applying pulled changes: merged with the shared rules, history kept, the cursor stored in the
// same transaction (SYNC.md rule 4), conflicts flagged for people to resolve.
#include <gtest/gtest.h>

#include <algorithm>

#include "core/uuid.h"
#include "storage/history.h"
#include "storage/outbox.h"
#include "storage/pulled_merge.h"
#include "storage/repositories.h"
#include "store_fixture.h"
#include "support/change_builder.h"
#include "support/sample_records.h"

namespace opcat::testing {
namespace {

using storage::FindingRepository;

class PullApplyTest : public StoreTest {
 protected:
  ChangeBuilder m_other{newUuid(), 1'800'000'000'000};  // another tablet, clock ahead
};

TEST_F(PullApplyTest, PulledRecordsAppearWithHistoryAndTheCursorAdvances) {
  const auto finding = sampleFinding(newUuid());
  const sync::Change change = m_other.create(finding, "monitor-b");
  auto report = store().applyPulled(std::vector{change}, 42);
  ASSERT_TRUE(report.isOk()) << report.status().toString();
  EXPECT_EQ(report->applied, 1u);
  EXPECT_EQ(*store().pullCursor(), 42u);
  auto found = FindingRepository(store()).find(finding.id);
  ASSERT_TRUE(found.isOk() && found->has_value());
  EXPECT_EQ(**found, finding);
  auto history = storage::History(store()).forRecord(finding.id);
  ASSERT_EQ(history->size(), 1u);
  EXPECT_EQ((*history)[0].authorId, "monitor-b");
  EXPECT_EQ(*storage::Outbox(store()).pendingCount(), 0) << "pulled changes are not re-sent";
  // The tablet's clock now orders its own edits after what it saw.
  auto edited = finding;
  edited.title = "Уточнено";
  ASSERT_TRUE(FindingRepository(store()).save(edited, "m").isOk());
  auto mine = storage::Outbox(store()).peek(1, 1 << 20);
  EXPECT_GT((*mine)[0].change.hlc, change.hlc);
}

TEST_F(PullApplyTest, APulledEditKeepsItsAuthorAndThePreviousValuesInHistory) {
  const auto original = sampleFinding(newUuid());
  const sync::Change created = m_other.create(original, "monitor-b");
  ASSERT_TRUE(store().applyPulled(std::vector{created}, 1).isOk());
  auto edited = original;
  edited.title = "Окна заварены";
  const sync::Change edit =
      m_other.edit(original, edited, {{created.hlc, m_other.deviceId()}}, "monitor-c");
  ASSERT_EQ(edit.fields.size(), 1u);
  ASSERT_TRUE(store().applyPulled(std::vector{edit}, 2).isOk());
  EXPECT_EQ((*FindingRepository(store()).find(original.id))->title, edited.title);

  auto history = storage::History(store()).forRecord(original.id);
  ASSERT_TRUE(history.isOk()) << history.status().toString();
  ASSERT_EQ(history->size(), 2u);
  const storage::HistoryEntry& first = (*history)[0];
  EXPECT_EQ(first.authorId, "monitor-b");
  ASSERT_EQ(first.edits.size(), created.fields.size());
  for (std::size_t i = 0; i < first.edits.size(); ++i) {
    EXPECT_TRUE(first.edits[i].oldValue.empty()) << "a new record had no previous values";
    EXPECT_EQ(first.edits[i].newValue, created.fields[i].value);
  }
  const storage::HistoryEntry& second = (*history)[1];
  EXPECT_EQ(second.authorId, "monitor-c");
  ASSERT_EQ(second.edits.size(), 1u);
  EXPECT_EQ(second.edits[0].number, edit.fields[0].number);
  EXPECT_EQ(second.edits[0].newValue, edit.fields[0].value);
  const auto previous = std::find_if(created.fields.begin(), created.fields.end(),
                                     [&](const auto& f) { return f.number == edit.fields[0].number; });
  ASSERT_NE(previous, created.fields.end());
  EXPECT_EQ(second.edits[0].oldValue, previous->value) << "the value it replaced";
}

TEST_F(PullApplyTest, AFailureLeavesNeitherDataNorCursor) {
  ASSERT_TRUE(store().applyPulled({}, 7).isOk());
  ASSERT_TRUE(store()
                  .database()
                  .exec("CREATE TEMP TRIGGER fail BEFORE INSERT ON main.history "
                        "BEGIN SELECT RAISE(ABORT, 'injected'); END;")
                  .isOk());
  const auto finding = sampleFinding(newUuid());
  EXPECT_FALSE(store().applyPulled(std::vector{m_other.create(finding)}, 8).isOk());
  EXPECT_EQ(*store().pullCursor(), 7u) << "the cursor never points past data the tablet holds";
  auto found = FindingRepository(store()).find(finding.id);
  ASSERT_TRUE(found.isOk());
  EXPECT_FALSE(found->has_value());
}

TEST_F(PullApplyTest, APulledPageDoesNotWaitForTheDiskButLocalEditsStillDo) {
  ASSERT_EQ(synchronousLevel(store().database()), 2) << "a store opens with synchronous=FULL";
  std::int64_t during = 0;
  auto report = store().applyPulled(std::vector{m_other.create(sampleFinding(newUuid()))}, 5, {},
                                    [&](storage::Database& db) {
                                      during = synchronousLevel(db);
                                      return Status::ok();
                                    });
  ASSERT_TRUE(report.isOk()) << report.status().toString();
  EXPECT_EQ(during, 1) << "the page (and the acknowledgements in its commit) can be fetched again";
  EXPECT_EQ(synchronousLevel(store().database()), 2) << "the next local edit waits for the disk";

  // A page that fails puts the setting back too.
  const auto failing = [](storage::Database&) {
    return Status::error(StatusCode::kInternal, "injected");
  };
  EXPECT_FALSE(store().applyPulled({}, 6, {}, failing).isOk());
  EXPECT_EQ(*store().pullCursor(), 5u);
  EXPECT_EQ(synchronousLevel(store().database()), 2);
}

TEST_F(PullApplyTest, OwnChangesComingBackAreSkipped) {
  const auto finding = sampleFinding(newUuid());
  ASSERT_TRUE(FindingRepository(store()).save(finding, "m").isOk());
  auto entries = storage::Outbox(store()).peek(10, 1 << 20);
  auto report = store().applyPulled(std::vector{(*entries)[0].change}, 3);
  ASSERT_TRUE(report.isOk());
  EXPECT_EQ(report->ownSkipped, 1u);
  EXPECT_EQ(report->applied, 0u);
}

TEST_F(PullApplyTest, AConcurrentEditIsFlaggedAndALocalEditResolvesIt) {
  FindingRepository repo(store());
  const auto original = sampleFinding(newUuid());
  const sync::Change created = m_other.create(original);
  ASSERT_TRUE(store().applyPulled(std::vector{created}, 1).isOk());
  const sync::FieldVersion seen{created.hlc, m_other.deviceId()};

  auto mine = original;
  mine.title = "Нет вентиляции";
  ASSERT_TRUE(repo.save(mine, "monitor-a").isOk());  // offline, not yet pushed
  auto theirs = original;
  theirs.title = "Вентиляция не работает";
  auto report = store().applyPulled(std::vector{m_other.edit(original, theirs, {seen})}, 2);
  ASSERT_TRUE(report.isOk());
  EXPECT_EQ(report->conflicted, 1u);
  auto conflicted = store().conflictedRecords();
  ASSERT_TRUE(conflicted.isOk());
  ASSERT_EQ(conflicted->size(), 1u);
  const auto& heads = (*conflicted)[0].state.merge.fields().at(10);
  ASSERT_EQ(heads.size(), 2u) << "both titles are kept";
  // The other tablet's clock is ahead, so its title is current; ours is the open conflict.
  EXPECT_EQ((*repo.find(original.id))->title, theirs.title);

  auto resolved = theirs;
  resolved.title = "Вентиляция не работает; окна заварены";
  ASSERT_TRUE(repo.save(resolved, "monitor-a").isOk());
  EXPECT_TRUE(store().conflictedRecords()->empty());
}

TEST_F(PullApplyTest, ARejectedChangeLeavesTheOutboxButIsKept) {
  const auto finding = sampleFinding(newUuid());
  ASSERT_TRUE(FindingRepository(store()).save(finding, "m").isOk());
  auto entries = storage::Outbox(store()).peek(10, 1 << 20);
  ASSERT_TRUE(store()
                  .recordRejection((*entries)[0].sequence, finding.id, 1403,
                                   "Finding: not in a visit of this monitor's teams")
                  .isOk());
  EXPECT_EQ(*storage::Outbox(store()).pendingCount(), 0);
  auto stmt = store().database().prepare("SELECT count(*) FROM sync_rejections");
  ASSERT_TRUE(stmt->step());
  EXPECT_EQ(stmt->columnInt(0), 1);
}

// The sync engine merges a page ahead, on its fetching thread, as if every record were new
// (storage::preparePulled). Only records the store does not hold may take that outcome.
TEST_F(PullApplyTest, OutcomesPreparedAheadAreUsedOnlyForRecordsTheStoreDoesNotHold) {
  const auto original = sampleFinding(newUuid());
  const sync::Change created = m_other.create(original, "monitor-b");
  auto edited = original;
  edited.title = "Окна заварены";
  const sync::Change edit =
      m_other.edit(original, edited, {{created.hlc, m_other.deviceId()}}, "monitor-c");
  // The edit's record is created earlier in the same page: its as-if-new outcome (a record
  // holding only the title) must not replace the created record.
  const std::vector page{created, edit};
  const auto prepared = storage::preparePulled(store().deviceId(), page);
  ASSERT_EQ(prepared.size(), 2u);
  ASSERT_TRUE(prepared[0].has_value() && prepared[1].has_value());
  auto report = store().applyPulled(page, 2, prepared);
  ASSERT_TRUE(report.isOk()) << report.status().toString();
  EXPECT_EQ(report->applied, 2u);
  auto found = FindingRepository(store()).find(original.id);
  ASSERT_TRUE(found.isOk() && found->has_value());
  EXPECT_EQ(**found, edited) << "every field of the created record is kept";
  auto history = storage::History(store()).forRecord(original.id);
  ASSERT_TRUE(history.isOk());
  ASSERT_EQ(history->size(), 2u);
  EXPECT_EQ((*history)[0].edits.size(), created.fields.size());
  ASSERT_EQ((*history)[1].edits.size(), 1u);
  EXPECT_FALSE((*history)[1].edits[0].oldValue.empty()) << "the title it replaced";
}

TEST_F(PullApplyTest, APreparedOutcomeDoesNotHideAConflictWithALocalEdit) {
  FindingRepository repo(store());
  const auto original = sampleFinding(newUuid());
  const sync::Change created = m_other.create(original);
  ASSERT_TRUE(store().applyPulled(std::vector{created}, 1).isOk());
  auto mine = original;
  mine.title = "Нет вентиляции";
  ASSERT_TRUE(repo.save(mine, "monitor-a").isOk());
  auto theirs = original;
  theirs.title = "Вентиляция не работает";
  const std::vector page{m_other.edit(original, theirs, {{created.hlc, m_other.deviceId()}})};
  auto report = store().applyPulled(page, 2, storage::preparePulled(store().deviceId(), page));
  ASSERT_TRUE(report.isOk());
  EXPECT_EQ(report->conflicted, 1u);
  auto record = repo.find(original.id);
  ASSERT_TRUE(record.isOk() && record->has_value());
  EXPECT_EQ((*record)->title, theirs.title);
  EXPECT_EQ((*record)->description, original.description) << "not a record of the title alone";
}

TEST_F(PullApplyTest, PreparedOutcomesForAnotherPageAreRefused) {
  const std::vector page{m_other.create(sampleFinding(newUuid()))};
  const std::vector<std::optional<storage::PreparedPull>> wrong(2);
  auto report = store().applyPulled(page, 5, wrong);
  ASSERT_FALSE(report.isOk());
  EXPECT_NE(report.status().message().find("prepared"), std::string::npos);
  EXPECT_EQ(*store().pullCursor(), 0u);
}

}  // namespace
}  // namespace opcat::testing
