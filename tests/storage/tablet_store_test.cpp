#include <gtest/gtest.h>

#include "core/uuid.h"
#include "store_fixture.h"
#include "storage/data_folder.h"
#include "storage/repositories.h"
#include "storage/tablet_schema.h"
#include "support/sample_records.h"

namespace opcat::testing {
namespace {

using storage::TabletStore;

TEST_F(StoreTest, ReopenKeepsRecordsAndDeviceId) {
  const std::string deviceId = store().deviceId();
  ASSERT_TRUE(isUuid(deviceId));
  const auto finding = sampleFinding(newUuid());
  ASSERT_TRUE(storage::FindingRepository(store()).save(finding, "monitor-1").isOk());
  reopen();
  EXPECT_EQ(store().deviceId(), deviceId);
  auto found = storage::FindingRepository(store()).find(finding.id);
  ASSERT_TRUE(found.isOk()) << found.status().toString();
  ASSERT_TRUE(found->has_value());
  EXPECT_EQ(**found, finding);
}

TEST_F(StoreTest, TheConnectionIsDurableAndZeroesDeletedCells) {
  const auto pragma = [&](const char* name) {
    auto stmt = store().database().prepare(std::string("PRAGMA ") + name);
    EXPECT_TRUE(stmt.isOk() && stmt->step()) << name;
    return std::string(stmt->columnText(0));
  };
  EXPECT_EQ(pragma("journal_mode"), "wal");
  EXPECT_EQ(pragma("synchronous"), "2") << "FULL: every commit is synced";
  EXPECT_EQ(pragma("secure_delete"), "2") << "FAST: deleted cells are zeroed in place";
  EXPECT_EQ(pragma("temp_store"), "2") << "MEMORY: no temp files";
  EXPECT_EQ(pragma("page_size"), "16384") << "a new store's pages hold several sealed rows";
  reopen();
  EXPECT_EQ(pragma("secure_delete"), "2") << "set on every open, not only on create";
}

TEST(StoreUpgradeTest, AStoreWithSmallerPagesFromAnEarlierBuildKeepsThemAndWorks) {
  TempDir temp;
  const auto dir = temp.path() / "tablet";
  std::filesystem::create_directories(dir);
  {
    auto old = storage::Database::open(storage::DataFolder::database(dir), true);  // 4 KiB
    ASSERT_TRUE(old.isOk()) << old.status().toString();
    ASSERT_TRUE(storage::migrate(**old, 4).isOk());
  }
  auto store = TabletStore::create(dir, kPassphrase, fastStoreOptions());
  ASSERT_TRUE(store.isOk()) << store.status().toString();
  auto size = (*store)->database().prepare("PRAGMA page_size");
  ASSERT_TRUE(size.isOk() && size->step());
  EXPECT_EQ(size->columnInt(0), 4096);
  EXPECT_EQ(*(*store)->database().userVersion(), storage::latestSchemaVersion());
  const auto finding = sampleFinding(newUuid());
  ASSERT_TRUE(storage::FindingRepository(**store).save(finding, "m").isOk());
  EXPECT_TRUE((*(*store)->read(domain::RecordKind::kFinding, finding.id))->pending);
}

TEST_F(StoreTest, CreatingTwiceInOneFolderIsRefused) {
  auto again = TabletStore::create(dataDir(), kPassphrase, fastStoreOptions());
  ASSERT_FALSE(again.isOk());
  EXPECT_EQ(again.status().code(), StatusCode::kAlreadyExists);
}

TEST_F(StoreTest, WrongPassphraseIsAClearErrorAndTouchesNothing) {
  ASSERT_TRUE(storage::FindingRepository(store()).save(sampleFinding(newUuid()), "m").isOk());
  close();
  const auto before = readAllFiles(dataDir());
  auto opened = TabletStore::open(dataDir(), "not the passphrase", fastStoreOptions());
  ASSERT_FALSE(opened.isOk());
  EXPECT_EQ(opened.status().code(), StatusCode::kWrongPassphrase);
  EXPECT_NE(opened.status().message().find("passphrase"), std::string::npos)
      << opened.status().message();
  EXPECT_EQ(readAllFiles(dataDir()), before);
}

TEST_F(StoreTest, OpeningAMissingStoreSaysSo) {
  auto opened = TabletStore::open(m_temp.path() / "nowhere", kPassphrase, fastStoreOptions());
  ASSERT_FALSE(opened.isOk());
  EXPECT_EQ(opened.status().code(), StatusCode::kNotFound);
}

TEST_F(StoreTest, ChangingThePassphraseRewrapsTheKeyOnly) {
  const auto finding = sampleFinding(newUuid());
  ASSERT_TRUE(storage::FindingRepository(store()).save(finding, "m").isOk());
  close();
  auto databaseFiles = [&] {
    auto files = readAllFiles(dataDir());
    std::erase_if(files, [](const auto& f) { return f.first.filename() == "opcat.key"; });
    return files;
  };
  const auto before = databaseFiles();
  ASSERT_TRUE(TabletStore::changePassphrase(dataDir(), kPassphrase, "новая фраза 2026").isOk());
  EXPECT_EQ(databaseFiles(), before) << "a passphrase change must not re-encrypt records";
  auto old = TabletStore::open(dataDir(), kPassphrase, fastStoreOptions());
  EXPECT_EQ(old.status().code(), StatusCode::kWrongPassphrase);
  auto opened = TabletStore::open(dataDir(), "новая фраза 2026", fastStoreOptions());
  ASSERT_TRUE(opened.isOk()) << opened.status().toString();
  auto found = storage::FindingRepository(**opened).find(finding.id);
  ASSERT_TRUE(found.isOk() && found->has_value());
  EXPECT_EQ(**found, finding);
}

TEST_F(StoreTest, ChangingThePassphraseWithTheWrongOldOneChangesNothing) {
  close();
  const auto before = readAllFiles(dataDir());
  const Status s = TabletStore::changePassphrase(dataDir(), "wrong", "a new passphrase");
  EXPECT_EQ(s.code(), StatusCode::kWrongPassphrase);
  EXPECT_EQ(readAllFiles(dataDir()), before);
}

TEST(StorePassphraseTest, AShortOrMalformedPassphraseIsRefusedAndNothingIsCreated) {
  TempDir temp;
  const auto dir = temp.path() / "tablet";
  // Characters are counted, not bytes: seven Cyrillic letters are fourteen bytes.
  for (const std::string& weak : {std::string(""), std::string("1234567"),
                                  std::string("сәлемет"), std::string("pass\xff\xfeword")}) {
    auto store = TabletStore::create(dir, weak, fastStoreOptions());
    ASSERT_FALSE(store.isOk());
    EXPECT_EQ(store.status().code(), StatusCode::kInvalidArgument);
    EXPECT_NE(store.status().message().find("passphrase"), std::string::npos);
    if (!weak.empty()) {
      EXPECT_EQ(store.status().message().find(weak), std::string::npos)
          << "the message must not repeat the passphrase";
    }
    EXPECT_FALSE(std::filesystem::exists(dir)) << "nothing is created for a refused passphrase";
  }
  static_assert(TabletStore::kMinPassphraseLength == 8);
  EXPECT_TRUE(TabletStore::create(dir, "Қазақстан", fastStoreOptions()).isOk());
}

TEST_F(StoreTest, ChangingToAShortPassphraseIsRefusedAndTheOldOneStillOpens) {
  close();
  const auto before = readAllFiles(dataDir());
  const Status s = TabletStore::changePassphrase(dataDir(), kPassphrase, "short");
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("at least 8 characters"), std::string::npos) << s.message();
  EXPECT_EQ(readAllFiles(dataDir()), before);
  EXPECT_TRUE(TabletStore::open(dataDir(), kPassphrase, fastStoreOptions()).isOk());
}

TEST_F(StoreTest, SecretsRoundTripSealed) {
  ASSERT_TRUE(store().putSecret("device_token", "tok-8f3a2c").isOk());
  ASSERT_TRUE(store().putSecret("device_token", "tok-rotated").isOk());
  auto token = store().secret("device_token");
  ASSERT_TRUE(token.isOk());
  EXPECT_EQ(token->value_or(""), "tok-rotated");
  auto missing = store().secret("server_pins");
  ASSERT_TRUE(missing.isOk());
  EXPECT_FALSE(missing->has_value());
}

TEST_F(StoreTest, DataFolderIsPrivateToTheOwner) {
  const auto perms = std::filesystem::status(dataDir()).permissions();
  EXPECT_EQ(perms & (std::filesystem::perms::group_all | std::filesystem::perms::others_all),
            std::filesystem::perms::none);
}

}  // namespace
}  // namespace opcat::testing
