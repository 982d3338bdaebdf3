// A tampered record, outbox entry, history entry or attachment is detected and reported with a
// clear error: never crashed on, never silently dropped.
#include <gtest/gtest.h>

#include <fstream>

#include "core/uuid.h"
#include "storage/attachment_store.h"
#include "storage/data_folder.h"
#include "storage/history.h"
#include "storage/outbox.h"
#include "storage/repositories.h"
#include "store_fixture.h"
#include "support/sample_records.h"

namespace opcat::testing {
namespace {

class TamperTest : public StoreTest {
 protected:
  std::string blob(const std::string& sql, const std::string& id) {
    auto stmt = store().database().prepare(sql);
    stmt->bind(1, id);
    EXPECT_TRUE(stmt->step()) << sql;
    return std::string(stmt->columnBlob(0));
  }
  void setBlob(const std::string& sql, const std::string& id, const std::string& value) {
    auto stmt = store().database().prepare(sql);
    stmt->bindBlob(1, value).bind(2, id);
    ASSERT_TRUE(stmt->run().isOk());
  }
  void flipRecordByte(const std::string& id, std::size_t offset) {
    std::string state = blob("SELECT state FROM records WHERE id = ?1", id);
    state[offset % state.size()] ^= 0x01;
    setBlob("UPDATE records SET state = ?1 WHERE id = ?2", id, state);
  }
};

TEST_F(TamperTest, AnAlteredRecordIsReportedAsTamperedWherePossible) {
  storage::FindingRepository repo(store());
  const auto finding = sampleFinding(newUuid());
  ASSERT_TRUE(repo.save(finding, "m").isOk());
  for (std::size_t offset : {0u, 10u, 30u, 100u, 5000u}) {
    const std::string original = blob("SELECT state FROM records WHERE id = ?1", finding.id);
    flipRecordByte(finding.id, offset);
    auto found = repo.find(finding.id);
    ASSERT_FALSE(found.isOk()) << "offset " << offset;
    EXPECT_EQ(found.status().code(), StatusCode::kTampered);
    EXPECT_NE(found.status().message().find(finding.id), std::string::npos);
    auto listed = repo.byArea(finding.visitId);
    ASSERT_FALSE(listed.isOk()) << "a list must not silently skip the tampered record";
    EXPECT_NE(listed.status().message().find("tampered"), std::string::npos)
        << listed.status().message();
    setBlob("UPDATE records SET state = ?1 WHERE id = ?2", finding.id, original);
    ASSERT_TRUE(repo.find(finding.id).isOk());
  }
}

TEST_F(TamperTest, SwappingSealedContentBetweenRecordsIsDetected) {
  storage::FindingRepository repo(store());
  const auto a = sampleFinding(newUuid());
  auto b = sampleFinding(a.visitId);
  b.title = "Другое";
  ASSERT_TRUE(repo.save(a, "m").isOk());
  ASSERT_TRUE(repo.save(b, "m").isOk());
  const std::string stateA = blob("SELECT state FROM records WHERE id = ?1", a.id);
  setBlob("UPDATE records SET state = ?1 WHERE id = ?2", b.id, stateA);
  auto found = repo.find(b.id);
  ASSERT_FALSE(found.isOk());
  EXPECT_EQ(found.status().code(), StatusCode::kTampered);
}

TEST_F(TamperTest, ChangingARecordsKindInTheClearIsDetected) {
  storage::FindingRepository repo(store());
  const auto finding = sampleFinding(newUuid());
  ASSERT_TRUE(repo.save(finding, "m").isOk());
  ASSERT_TRUE(store().database().exec("UPDATE records SET kind = 11").isOk());
  auto stored = store().read(domain::RecordKind::kInterview, finding.id);
  ASSERT_FALSE(stored.isOk());
  EXPECT_EQ(stored.status().code(), StatusCode::kTampered);
}

TEST_F(TamperTest, AlteredOrMovedOutboxEntriesAreDetected) {
  storage::FindingRepository repo(store());
  const auto a = sampleFinding(newUuid());
  const auto b = sampleFinding(a.visitId);
  ASSERT_TRUE(repo.save(a, "m").isOk());
  ASSERT_TRUE(repo.save(b, "m").isOk());
  // Reordering: b's change moved into a's row (same record id bound, wrong sequence).
  ASSERT_TRUE(store().database().exec(
      "UPDATE outbox SET record_id = (SELECT record_id FROM outbox ORDER BY seq LIMIT 1), "
      "change = (SELECT change FROM outbox ORDER BY seq LIMIT 1) "
      "WHERE seq = (SELECT max(seq) FROM outbox)").isOk());
  auto peeked = storage::Outbox(store()).peek(10, 1 << 20);
  ASSERT_FALSE(peeked.isOk());
  EXPECT_EQ(peeked.status().code(), StatusCode::kTampered);
  // A push reads the bytes batch by batch, with the same check.
  auto slots = storage::Outbox(store()).slots(10);
  ASSERT_TRUE(slots.isOk());
  std::vector<std::uint64_t> sequences;
  for (const auto& slot : *slots) sequences.push_back(slot.sequence);
  auto read = storage::Outbox(store()).readEncoded(sequences);
  ASSERT_FALSE(read.isOk());
  EXPECT_EQ(read.status().code(), StatusCode::kTampered);
}

TEST_F(TamperTest, AlteredHistoryIsDetected) {
  storage::FindingRepository repo(store());
  const auto finding = sampleFinding(newUuid());
  ASSERT_TRUE(repo.save(finding, "m").isOk());
  std::string entry = blob("SELECT entry FROM history WHERE record_id = ?1", finding.id);
  entry[entry.size() / 2] ^= 0x40;
  setBlob("UPDATE history SET entry = ?1 WHERE record_id = ?2", finding.id, entry);
  auto history = storage::History(store()).forRecord(finding.id);
  ASSERT_FALSE(history.isOk());
  EXPECT_EQ(history.status().code(), StatusCode::kTampered);
}

TEST_F(TamperTest, AlteredOrSwappedAttachmentFilesAreDetected) {
  storage::AttachmentStore attachments(store());
  const std::string visit = newUuid();
  std::vector<std::uint8_t> photoA(150'000, 0xA5), photoB(150'000, 0x5A);
  auto a = attachments.addBytes(sampleAttachmentMeta(visit, newUuid()), photoA, "m");
  auto b = attachments.addBytes(sampleAttachmentMeta(visit, newUuid()), photoB, "m");
  ASSERT_TRUE(a.isOk() && b.isOk());
  auto fileOf = [&](const std::string& id) {
    auto stmt = store().database().prepare(
        "SELECT file_name FROM attachment_files WHERE attachment_id = ?1");
    stmt->bind(1, id);
    EXPECT_TRUE(stmt->step());
    return storage::DataFolder::attachments(dataDir()) / std::string(stmt->columnText(0));
  };
  auto ignore = [](std::span<const std::uint8_t>) {};

  // Flip one byte in the middle of A's file.
  {
    std::fstream f(fileOf(a->id), std::ios::in | std::ios::out | std::ios::binary);
    f.seekg(70'000);
    char c = 0;
    f.get(c);
    f.seekp(70'000);
    f.put(static_cast<char>(c ^ 0x01));
  }
  EXPECT_EQ(attachments.read(a->id, ignore).code(), StatusCode::kTampered);

  // Put B's (intact) file under A's name: authenticated under another attachment id.
  std::filesystem::copy_file(fileOf(b->id), fileOf(a->id),
                             std::filesystem::copy_options::overwrite_existing);
  const Status swapped = attachments.read(a->id, ignore);
  EXPECT_TRUE(swapped.code() == StatusCode::kTampered) << swapped.toString();

  // B still reads back intact.
  std::vector<std::uint8_t> readBack;
  ASSERT_TRUE(attachments
                  .read(b->id, [&](std::span<const std::uint8_t> chunk) {
                    readBack.insert(readBack.end(), chunk.begin(), chunk.end());
                  })
                  .isOk());
  EXPECT_EQ(readBack, photoB);
}

}  // namespace
}  // namespace opcat::testing
