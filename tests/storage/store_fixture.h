// A tablet store in a fresh temp folder, with the cheapest Argon2 cost so tests stay fast.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "storage/tablet_store.h"
#include "support/temp_dir.h"

namespace opcat::testing {

inline constexpr char kPassphrase[] = "жылы күз — warm autumn 2025";

inline storage::StoreOptions fastStoreOptions() {
  storage::StoreOptions options;
  options.kdf = crypto::Argon2Params::fastForTests();
  return options;
}

class StoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto store = storage::TabletStore::create(dataDir(), kPassphrase, fastStoreOptions());
    ASSERT_TRUE(store.isOk()) << store.status().toString();
    m_store = std::move(store).value();
  }

  std::filesystem::path dataDir() const { return m_temp.path() / "tablet"; }
  storage::TabletStore& store() { return *m_store; }
  void close() { m_store.reset(); }
  void reopen() {
    m_store.reset();
    auto store = storage::TabletStore::open(dataDir(), kPassphrase, fastStoreOptions());
    ASSERT_TRUE(store.isOk()) << store.status().toString();
    m_store = std::move(store).value();
  }

  TempDir m_temp;
  std::unique_ptr<storage::TabletStore> m_store;
};

// PRAGMA synchronous of a store's connection: 1 is NORMAL, 2 is FULL.
std::int64_t synchronousLevel(storage::Database& db);

// Every file under `dir`, recursively, as (path, bytes).
std::vector<std::pair<std::filesystem::path, std::string>> readAllFiles(
    const std::filesystem::path& dir);

}  // namespace opcat::testing
