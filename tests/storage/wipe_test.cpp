// Wipe: key material first, then the files. Afterwards nothing left on disk opens, not even
// leftovers copied before the wipe, not even with the right passphrase.
#include <gtest/gtest.h>

#include "core/uuid.h"
#include "crypto/key_file.h"
#include "storage/attachment_store.h"
#include "storage/data_folder.h"
#include "storage/repositories.h"
#include "store_fixture.h"
#include "support/sample_records.h"

namespace opcat::testing {
namespace {

using storage::DataFolder;
using storage::TabletStore;

class WipeTest : public StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    m_finding = sampleFinding(newUuid());
    ASSERT_TRUE(storage::FindingRepository(store()).save(m_finding, "m").isOk());
    std::vector<std::uint8_t> photo(100'000, 0x33);
    ASSERT_TRUE(storage::AttachmentStore(store())
                    .addBytes(sampleAttachmentMeta(m_finding.visitId, m_finding.id), photo, "m")
                    .isOk());
    close();
  }
  domain::Finding m_finding;
};

TEST_F(WipeTest, RemovesKeysDatabaseAndAttachments) {
  ASSERT_TRUE(TabletStore::wipe(dataDir()).isOk());
  EXPECT_FALSE(TabletStore::exists(dataDir()));
  EXPECT_FALSE(std::filesystem::exists(DataFolder::keyFile(dataDir())));
  EXPECT_FALSE(std::filesystem::exists(DataFolder::database(dataDir())));
  EXPECT_FALSE(std::filesystem::exists(DataFolder::attachments(dataDir())));
  auto opened = TabletStore::open(dataDir(), kPassphrase, fastStoreOptions());
  ASSERT_FALSE(opened.isOk());
  EXPECT_EQ(opened.status().code(), StatusCode::kNotFound);
  EXPECT_TRUE(TabletStore::wipe(dataDir()).isOk()) << "wiping twice is harmless";
}

TEST_F(WipeTest, LeftoversCopiedBeforeTheWipeStayUnreadable) {
  // A seizer who imaged the disk and then learnt the passphrase, or a wipe cut short after the
  // key was destroyed: the database and files are still there, the key is not.
  const auto leftovers = m_temp.path() / "imaged";
  std::filesystem::copy(dataDir(), leftovers, std::filesystem::copy_options::recursive);
  ASSERT_TRUE(crypto::KeyFile::destroy(DataFolder::keyFile(leftovers)).isOk());
  auto noKey = TabletStore::open(leftovers, kPassphrase, fastStoreOptions());
  EXPECT_EQ(noKey.status().code(), StatusCode::kNotFound);

  // Even a fresh key file made with the same passphrase does not open the old data: the data
  // key was random, not derived from the passphrase.
  ASSERT_TRUE(crypto::KeyFile::create(DataFolder::keyFile(leftovers), kPassphrase,
                                      crypto::Argon2Params::fastForTests())
                  .isOk());
  auto reopened = TabletStore::open(leftovers, kPassphrase, fastStoreOptions());
  ASSERT_TRUE(reopened.isOk()) << reopened.status().toString();
  auto found = storage::FindingRepository(**reopened).find(m_finding.id);
  ASSERT_FALSE(found.isOk());
  EXPECT_EQ(found.status().code(), StatusCode::kTampered);
}

}  // namespace
}  // namespace opcat::testing
