#include <gtest/gtest.h>

#include <fstream>

#include "core/uuid.h"
#include "crypto/attachment_stream.h"
#include "storage/attachment_store.h"
#include "storage/data_folder.h"
#include "storage/outbox.h"
#include "storage/repositories.h"
#include "store_fixture.h"
#include "support/sample_records.h"

namespace opcat::testing {
namespace {

using storage::AttachmentStore;

std::vector<std::uint8_t> photoBytes(std::size_t size) {
  std::vector<std::uint8_t> bytes(size);
  for (std::size_t i = 0; i < size; ++i) bytes[i] = static_cast<std::uint8_t>((i * 31) ^ (i >> 7));
  return bytes;
}

TEST_F(StoreTest, AttachmentRoundTripsWithItsDigestRecordedAndQueued) {
  AttachmentStore attachments(store());
  const auto content = photoBytes(1'000'003);
  const auto meta = sampleAttachmentMeta(newUuid(), newUuid());
  auto saved = attachments.addBytes(meta, content, "monitor-a");
  ASSERT_TRUE(saved.isOk()) << saved.status().toString();
  const auto digest = crypto::sha256(content);
  EXPECT_EQ(saved->sha256, std::string(digest.begin(), digest.end()));
  EXPECT_EQ(saved->sizeBytes, 1'000'003);

  auto found = storage::AttachmentRepository(store()).find(meta.id);
  ASSERT_TRUE(found.isOk() && found->has_value());
  EXPECT_EQ(**found, *saved);
  EXPECT_EQ(*storage::Outbox(store()).pendingCount(), 1);

  std::vector<std::uint8_t> readBack;
  ASSERT_TRUE(attachments
                  .read(meta.id,
                        [&](std::span<const std::uint8_t> chunk) {
                          readBack.insert(readBack.end(), chunk.begin(), chunk.end());
                        })
                  .isOk());
  EXPECT_EQ(readBack, content);
}

TEST_F(StoreTest, AFailedAttachmentSaveLeavesNoFileAndNoRecord) {
  AttachmentStore attachments(store());
  auto meta = sampleAttachmentMeta(newUuid(), newUuid());
  meta.mediaType = "application/x-msdownload";  // not allowed
  auto saved = attachments.addBytes(meta, photoBytes(70'000), "m");
  ASSERT_FALSE(saved.isOk());
  EXPECT_EQ(saved.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(saved.status().message().find("media_type"), std::string::npos)
      << saved.status().message();
  EXPECT_TRUE(std::filesystem::is_empty(storage::DataFolder::attachments(dataDir())));
  EXPECT_EQ(*storage::Outbox(store()).pendingCount(), 0);
}

TEST_F(StoreTest, ASourceErrorMidwayLeavesNothingBehind) {
  AttachmentStore attachments(store());
  int calls = 0;
  auto saved = attachments.add(
      sampleAttachmentMeta(newUuid(), newUuid()),
      [&](std::span<std::uint8_t> buffer) -> Result<std::size_t> {
        if (++calls > 3) return Status::error(StatusCode::kIoError, "camera disconnected");
        std::fill(buffer.begin(), buffer.end(), std::uint8_t{7});
        return buffer.size();
      },
      "m");
  EXPECT_EQ(saved.status().code(), StatusCode::kIoError);
  EXPECT_TRUE(std::filesystem::is_empty(storage::DataFolder::attachments(dataDir())));
}

TEST_F(StoreTest, OrphanFilesFromACrashAreRemoved) {
  AttachmentStore attachments(store());
  ASSERT_TRUE(attachments.addBytes(sampleAttachmentMeta(newUuid(), newUuid()), photoBytes(10), "m")
                  .isOk());
  {
    std::ofstream orphan(storage::DataFolder::attachments(dataDir()) / "0123abcd.att");
    orphan << "ciphertext of a photo whose record never committed";
  }
  auto removed = attachments.removeOrphans();
  ASSERT_TRUE(removed.isOk());
  EXPECT_EQ(*removed, 1);
  EXPECT_EQ(std::distance(std::filesystem::directory_iterator(
                              storage::DataFolder::attachments(dataDir())),
                          std::filesystem::directory_iterator()),
            1);
}

}  // namespace
}  // namespace opcat::testing
