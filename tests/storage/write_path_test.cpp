// The write path: every change stores the record, its outbox Change and a history entry.
#include <gtest/gtest.h>

#include "core/uuid.h"
#include "storage/history.h"
#include "storage/outbox.h"
#include "storage/repositories.h"
#include "store_fixture.h"
#include "support/sample_records.h"
#include "sync/codec/change_codec.h"
#include "sync/codec/record_codec.h"

namespace opcat::testing {
namespace {

using storage::FindingRepository;
using storage::History;
using storage::Outbox;

class WritePathTest : public StoreTest {
 protected:
  std::vector<storage::OutboxEntry> outbox() {
    auto entries = Outbox(store()).peek(1000, 1 << 30);
    EXPECT_TRUE(entries.isOk()) << entries.status().toString();
    return entries.isOk() ? std::move(entries).value() : std::vector<storage::OutboxEntry>{};
  }
};

TEST_F(WritePathTest, ANewRecordQueuesOneChangeWithEverySetField) {
  const auto finding = sampleFinding(newUuid());
  ASSERT_TRUE(FindingRepository(store()).save(finding, "monitor-a").isOk());
  const auto entries = outbox();
  ASSERT_EQ(entries.size(), 1u);
  const sync::Change& change = entries[0].change;
  EXPECT_EQ(change.id.deviceId, store().deviceId());
  EXPECT_EQ(change.id.sequence, entries[0].sequence);
  EXPECT_EQ(change.kind, domain::RecordKind::kFinding);
  EXPECT_EQ(change.recordId, finding.id);
  EXPECT_EQ(change.parentId, finding.visitId);
  EXPECT_EQ(change.authorId, "monitor-a");
  EXPECT_FALSE(change.deleted);
  // id, visit_id, area, kind, severity, urgency, groups, standards, sources, title,
  // description, place, recorded_at, author: 14 set fields.
  EXPECT_EQ(change.fields.size(), 14u);
  for (const auto& f : change.fields) EXPECT_EQ(f.hlc, change.hlc);
}

TEST_F(WritePathTest, AnEditQueuesOnlyTheChangedFieldsAndKeepsThePreviousValue) {
  auto finding = sampleFinding(newUuid());
  FindingRepository repo(store());
  ASSERT_TRUE(repo.save(finding, "monitor-a").isOk());
  const std::string oldTitle = finding.title;
  finding.title = "Камералар желдетілмейді";
  finding.severity = domain::Severity::kCritical;
  ASSERT_TRUE(repo.save(finding, "monitor-b").isOk());

  const auto entries = outbox();
  ASSERT_EQ(entries.size(), 2u);
  EXPECT_LT(entries[0].sequence, entries[1].sequence);
  EXPECT_LT(entries[0].change.hlc, entries[1].change.hlc);
  ASSERT_EQ(entries[1].change.fields.size(), 2u);
  EXPECT_EQ(entries[1].change.fields[0].number, 5u);   // severity
  EXPECT_EQ(entries[1].change.fields[1].number, 10u);  // title

  auto history = History(store()).forRecord(finding.id);
  ASSERT_TRUE(history.isOk()) << history.status().toString();
  ASSERT_EQ(history->size(), 2u);
  const auto& edit = (*history)[1];
  EXPECT_EQ(edit.authorId, "monitor-b");
  EXPECT_EQ(edit.sequence, entries[1].sequence);
  ASSERT_EQ(edit.edits.size(), 2u);
  EXPECT_EQ(edit.edits[1].number, 10u);
  EXPECT_NE(edit.edits[1].oldValue.find(oldTitle), std::string::npos);
  EXPECT_NE(edit.edits[1].newValue.find("Камералар желдетілмейді"), std::string::npos);

  auto found = repo.find(finding.id);
  ASSERT_TRUE(found.isOk() && found->has_value());
  EXPECT_EQ(**found, finding);
}

TEST_F(WritePathTest, SavingUnchangedContentQueuesNothing) {
  const auto finding = sampleFinding(newUuid());
  FindingRepository repo(store());
  ASSERT_TRUE(repo.save(finding, "m").isOk());
  ASSERT_TRUE(repo.save(finding, "m").isOk());
  EXPECT_EQ(outbox().size(), 1u);
}

TEST_F(WritePathTest, DeleteLeavesATombstoneThatSyncs) {
  const auto finding = sampleFinding(newUuid());
  FindingRepository repo(store());
  ASSERT_TRUE(repo.save(finding, "m").isOk());
  ASSERT_TRUE(repo.remove(finding.id, "m").isOk());
  auto found = repo.find(finding.id);
  ASSERT_TRUE(found.isOk());
  EXPECT_FALSE(found->has_value());
  auto listed = repo.listByParent(finding.visitId);
  ASSERT_TRUE(listed.isOk());
  EXPECT_TRUE(listed->empty());
  const auto entries = outbox();
  ASSERT_EQ(entries.size(), 2u);
  EXPECT_TRUE(entries[1].change.deleted);
  EXPECT_EQ(entries[1].change.parentId, finding.visitId);
  auto stored = store().read(domain::RecordKind::kFinding, finding.id);
  ASSERT_TRUE(stored.isOk() && stored->has_value());
  EXPECT_TRUE((*stored)->deleted);
  EXPECT_TRUE((*stored)->state.merge.isDeleted());
  EXPECT_FALSE(entries[1].change.deletedVersions.empty()) << "a delete names what it saw";
  EXPECT_FALSE((*stored)->state.content.empty()) << "a tombstone keeps the content to restore";
}

TEST_F(WritePathTest, DeletingWhatNeverExistedIsNotFound) {
  EXPECT_EQ(FindingRepository(store()).remove(newUuid(), "m").code(), StatusCode::kNotFound);
}

TEST_F(WritePathTest, InvalidRecordsAreRefusedWithTheFieldAndRuleAndNothingIsWritten) {
  auto finding = sampleFinding(newUuid());
  finding.title.clear();
  finding.severity = static_cast<domain::Severity>(42);
  const Status s = FindingRepository(store()).save(finding, "m");
  ASSERT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("Finding"), std::string::npos) << s.message();
  EXPECT_NE(s.message().find("title"), std::string::npos) << s.message();
  EXPECT_NE(s.message().find("required"), std::string::npos) << s.message();
  EXPECT_NE(s.message().find("severity"), std::string::npos) << s.message();
  EXPECT_TRUE(outbox().empty());
  auto found = FindingRepository(store()).find(finding.id);
  ASSERT_TRUE(found.isOk());
  EXPECT_FALSE(found->has_value());
}

TEST_F(WritePathTest, AppendOnlyRecordsCannotBeEditedOrDeleted) {
  const auto event = sampleReviewEvent(newUuid());
  storage::ReviewEventRepository repo(store());
  ASSERT_TRUE(repo.save(event, "coordinator").isOk());
  auto edited = event;
  edited.comment = "changed my mind";
  EXPECT_EQ(repo.save(edited, "coordinator").code(), StatusCode::kAlreadyExists);
  EXPECT_EQ(repo.remove(event.id, "coordinator").code(), StatusCode::kInvalidArgument);
  auto found = repo.find(event.id);
  ASSERT_TRUE(found.isOk() && found->has_value());
  EXPECT_EQ(**found, event);
}

TEST_F(WritePathTest, AnIdCannotChangeItsKind) {
  const auto finding = sampleFinding(newUuid());
  ASSERT_TRUE(FindingRepository(store()).save(finding, "m").isOk());
  auto visit = sampleVisit();
  visit.id = finding.id;
  const Status s = storage::VisitRepository(store()).save(visit, "m");
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("Finding"), std::string::npos) << s.message();
}

TEST_F(WritePathTest, AcknowledgedChangesLeaveTheOutboxAndClearThePendingMark) {
  FindingRepository repo(store());
  const auto a = sampleFinding(newUuid());
  const auto b = sampleFinding(a.visitId);
  ASSERT_TRUE(repo.save(a, "m").isOk());
  ASSERT_TRUE(repo.save(b, "m").isOk());
  auto entries = outbox();
  ASSERT_EQ(entries.size(), 2u);
  const std::uint64_t first[] = {entries[0].sequence};
  ASSERT_TRUE(Outbox(store()).acknowledge(first).isOk());
  ASSERT_TRUE(Outbox(store()).acknowledge(first).isOk()) << "a repeated ack is harmless";
  EXPECT_EQ(*Outbox(store()).pendingCount(), 1);
  auto storedA = store().read(domain::RecordKind::kFinding, a.id);
  auto storedB = store().read(domain::RecordKind::kFinding, b.id);
  EXPECT_FALSE((*storedA)->pending);
  EXPECT_TRUE((*storedB)->pending);
}

TEST_F(WritePathTest, AcknowledgingRewritesNoRecordRowAndPendingFollowsTheOutbox) {
  FindingRepository repo(store());
  auto a = sampleFinding(newUuid());
  ASSERT_TRUE(repo.save(a, "m").isOk());
  a.title = "Второе изменение";
  ASSERT_TRUE(repo.save(a, "m").isOk());
  const auto sealedState = [&] {
    auto stmt = store().database().prepare("SELECT state FROM records WHERE id = ?1");
    stmt->bind(1, a.id);
    EXPECT_TRUE(stmt->step());
    return std::string(stmt->columnBlob(0));
  };
  const std::string before = sealedState();
  auto entries = outbox();
  ASSERT_EQ(entries.size(), 2u);
  const std::uint64_t first[] = {entries[0].sequence};
  ASSERT_TRUE(Outbox(store()).acknowledge(first).isOk());
  EXPECT_TRUE((*store().read(domain::RecordKind::kFinding, a.id))->pending)
      << "one of its changes is still queued";
  const std::uint64_t second[] = {entries[1].sequence};
  ASSERT_TRUE(Outbox(store()).acknowledge(second).isOk());
  EXPECT_FALSE((*store().read(domain::RecordKind::kFinding, a.id))->pending);
  EXPECT_EQ(sealedState(), before) << "the sealed row was not rewritten";
}

TEST_F(WritePathTest, PeekGivesEachChangesEncodedSize) {
  ASSERT_TRUE(FindingRepository(store()).save(sampleFinding(newUuid()), "m").isOk());
  auto entries = outbox();
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_EQ(entries[0].encodedBytes, codec::encodeChange(entries[0].change).size());
}

TEST_F(WritePathTest, ARecordKeepsItsValuesOnceNotAgainInItsMergeState) {
  auto finding = sampleFinding(newUuid());
  finding.description = std::string(4000, 'x');
  ASSERT_TRUE(FindingRepository(store()).save(finding, "m").isOk());
  auto stmt = store().database().prepare("SELECT length(state) FROM records WHERE id = ?1");
  stmt->bind(1, finding.id);
  ASSERT_TRUE(stmt->step());
  const auto content = codec::encode(finding);
  EXPECT_LT(static_cast<std::size_t>(stmt->columnInt(0)), content.size() + 1000);
  auto stored = store().read(domain::RecordKind::kFinding, finding.id);
  ASSERT_TRUE(stored.isOk() && stored->has_value()) << stored.status().toString();
  EXPECT_EQ((*stored)->state.content, content);
  EXPECT_GT((*stored)->state.merge.current(11)->value.size(), 4000u)
      << "the merge state still knows the value";
}

TEST_F(WritePathTest, PeekHonoursCountAndByteBudgetsButAlwaysMakesProgress) {
  FindingRepository repo(store());
  const std::string visitId = newUuid();
  for (int i = 0; i < 10; ++i) ASSERT_TRUE(repo.save(sampleFinding(visitId), "m").isOk());
  EXPECT_EQ(Outbox(store()).peek(4, 1 << 20)->size(), 4u);
  EXPECT_EQ(Outbox(store()).peek(100, 1)->size(), 1u);
  const auto two = Outbox(store()).peek(100, 1 << 20);
  EXPECT_EQ(two->size(), 10u);
}

// A push plan reads only sizes; each batch's bytes are read just before it is sent.
TEST_F(WritePathTest, SlotsGiveTheSizesAndReadEncodedTheBytesOfTheQueuedChanges) {
  FindingRepository repo(store());
  const std::string visitId = newUuid();
  for (int i = 0; i < 6; ++i) ASSERT_TRUE(repo.save(sampleFinding(visitId), "m").isOk());
  auto slots = Outbox(store()).slots(100);
  ASSERT_TRUE(slots.isOk()) << slots.status().toString();
  const auto entries = outbox();
  ASSERT_EQ(slots->size(), entries.size());
  std::vector<std::uint64_t> everyOther;
  for (std::size_t i = 0; i < entries.size(); ++i) {
    EXPECT_EQ((*slots)[i].sequence, entries[i].sequence);
    EXPECT_EQ((*slots)[i].recordId, entries[i].change.recordId);
    EXPECT_EQ((*slots)[i].encodedBytes, entries[i].encodedBytes);
    if (i % 2 == 1) everyOther.push_back(entries[i].sequence);
  }
  auto bytes = Outbox(store()).readEncoded(everyOther);  // not dense: 2nd, 4th, 6th
  ASSERT_TRUE(bytes.isOk()) << bytes.status().toString();
  ASSERT_EQ(bytes->size(), 3u);
  for (std::size_t i = 0; i < 3; ++i) {
    EXPECT_EQ((*bytes)[i], codec::encodeChange(entries[2 * i + 1].change));
  }
  EXPECT_EQ(Outbox(store()).slots(2)->size(), 2u);
}

TEST_F(WritePathTest, ReadingAnEntryNoLongerQueuedIsNotFound) {
  FindingRepository repo(store());
  const std::string visitId = newUuid();
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(repo.save(sampleFinding(visitId), "m").isOk());
  const auto entries = outbox();
  const std::vector<std::uint64_t> all{entries[0].sequence, entries[1].sequence,
                                       entries[2].sequence};
  ASSERT_TRUE(Outbox(store()).acknowledge(std::vector{entries[1].sequence}).isOk());
  auto bytes = Outbox(store()).readEncoded(all);
  ASSERT_FALSE(bytes.isOk());
  EXPECT_EQ(bytes.status().code(), StatusCode::kNotFound);
  EXPECT_NE(bytes.status().message().find(std::to_string(entries[1].sequence)),
            std::string::npos);
}

TEST_F(WritePathTest, SequencesAreNeverReusedAfterAcknowledgement) {
  ASSERT_TRUE(FindingRepository(store()).save(sampleFinding(newUuid()), "m").isOk());
  auto entries = outbox();
  const std::uint64_t seqs[] = {entries[0].sequence};
  ASSERT_TRUE(Outbox(store()).acknowledge(seqs).isOk());
  reopen();
  ASSERT_TRUE(FindingRepository(store()).save(sampleFinding(newUuid()), "m").isOk());
  entries = outbox();
  ASSERT_FALSE(entries.empty());
  EXPECT_GT(entries[0].sequence, seqs[0]);
}

}  // namespace
}  // namespace opcat::testing
