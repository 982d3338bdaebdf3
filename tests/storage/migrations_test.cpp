// Schema migrations, from an empty file and from every earlier version, keep what was stored.
#include <gtest/gtest.h>

#include "storage/database.h"
#include "storage/tablet_schema.h"
#include "support/temp_dir.h"

namespace opcat::testing {
namespace {

using storage::Database;

std::unique_ptr<Database> openDb(const std::filesystem::path& path) {
  auto db = Database::open(path, true);
  EXPECT_TRUE(db.isOk()) << db.status().toString();
  return std::move(db).value();
}

bool hasTable(Database& db, const std::string& name) {
  auto stmt = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?1");
  stmt->bind(1, name);
  return stmt->step();
}

std::int64_t scalar(Database& db, const std::string& sql) {
  auto stmt = db.prepare(sql);
  EXPECT_TRUE(stmt.isOk()) << stmt.status().toString();
  EXPECT_TRUE(stmt->step()) << sql;
  return stmt->columnInt(0);
}

// Rows that each schema version can hold, so that a later migration has data to keep.
void fillVersion(Database& db, int version, const std::string& tag) {
  const std::string id = "00000000-0000-4000-8000-00000000000" + tag;
  if (version >= 1) {
    ASSERT_TRUE(db.exec("INSERT INTO records(id, kind, parent_id, hlc, state) VALUES ('" + id +
                        "', 10, NULL, 7, x'01')")
                    .isOk());
    ASSERT_TRUE(db.exec("INSERT INTO outbox(record_id, kind, hlc, change) VALUES ('" + id +
                        "', 10, 7, x'02')")
                    .isOk());
  }
  if (version >= 2) {
    ASSERT_TRUE(db.exec("INSERT INTO history(record_id, seq, hlc, entry) VALUES ('" + id +
                        "', 1, 7, x'03')")
                    .isOk());
  }
  if (version >= 4) {
    ASSERT_TRUE(db.exec("UPDATE records SET conflicted = 1 WHERE id = '" + id + "'").isOk());
  }
  if (version >= 3) {
    ASSERT_TRUE(db.exec("INSERT INTO attachment_files(attachment_id, file_name) VALUES ('" +
                        id + "', 'f" + tag + ".att')")
                    .isOk());
  }
}

TEST(MigrationsTest, FromEmptyToLatest) {
  TempDir dir;
  auto db = openDb(dir / "store.db");
  ASSERT_EQ(*db->userVersion(), 0);
  ASSERT_TRUE(storage::migrate(*db).isOk());
  EXPECT_EQ(*db->userVersion(), storage::latestSchemaVersion());
  for (const char* table :
       {"meta", "records", "outbox", "history", "attachment_files", "sync_rejections"}) {
    EXPECT_TRUE(hasTable(*db, table)) << table;
  }
  EXPECT_EQ(scalar(*db, "PRAGMA foreign_keys"), 1);
  EXPECT_EQ(scalar(*db, "PRAGMA synchronous"), 2);  // FULL
  ASSERT_TRUE(storage::migrate(*db).isOk()) << "migrating an up-to-date store is a no-op";
}

TEST(MigrationsTest, FromEachEarlierVersionKeepsTheData) {
  for (int from = 1; from < storage::latestSchemaVersion(); ++from) {
    SCOPED_TRACE("from version " + std::to_string(from));
    TempDir dir;
    {
      auto db = openDb(dir / "store.db");
      ASSERT_TRUE(storage::migrate(*db, from).isOk());
      ASSERT_EQ(*db->userVersion(), from);
      fillVersion(*db, from, "1");
    }
    auto db = openDb(dir / "store.db");  // as a newer build would open it
    ASSERT_TRUE(storage::migrate(*db).isOk());
    EXPECT_EQ(*db->userVersion(), storage::latestSchemaVersion());
    EXPECT_EQ(scalar(*db, "SELECT count(*) FROM records"), 1);
    EXPECT_EQ(scalar(*db, "SELECT count(*) FROM outbox"), 1);
    fillVersion(*db, storage::latestSchemaVersion(), "2");  // every table is usable
    EXPECT_EQ(scalar(*db, "SELECT count(*) FROM records"), 2);
  }
}

bool hasColumn(Database& db, const std::string& table, const std::string& column) {
  auto stmt = db.prepare("SELECT 1 FROM pragma_table_info(?1) WHERE name = ?2");
  stmt->bind(1, table).bind(2, column);
  return stmt->step();
}

TEST(MigrationsTest, Version5DerivesPendingFromTheOutboxInsteadOfStoringIt) {
  TempDir dir;
  auto db = openDb(dir / "store.db");
  ASSERT_TRUE(storage::migrate(*db, 4).isOk());
  ASSERT_TRUE(hasColumn(*db, "records", "pending"));
  fillVersion(*db, 4, "1");
  ASSERT_TRUE(db->exec("UPDATE records SET pending = 1").isOk());
  ASSERT_TRUE(storage::migrate(*db, 5).isOk());
  EXPECT_FALSE(hasColumn(*db, "records", "pending"));
  EXPECT_EQ(scalar(*db, "SELECT count(*) FROM records WHERE conflicted = 1 AND hlc = 7"), 1);
  EXPECT_EQ(scalar(*db, "SELECT count(*) FROM records WHERE EXISTS "
                        "(SELECT 1 FROM outbox WHERE outbox.record_id = records.id)"),
            1);
  // The question "is it pending" is answered by the outbox's index, not by a scan.
  auto plan = db->prepare(
      "EXPLAIN QUERY PLAN SELECT 1 FROM outbox WHERE outbox.record_id = '00000000'");
  ASSERT_TRUE(plan.isOk());
  ASSERT_TRUE(plan->step());
  EXPECT_NE(plan->columnText(3).find("outbox_by_record"), std::string_view::npos)
      << plan->columnText(3);
}

TEST(MigrationsTest, AStoreFromANewerBuildIsRefusedNotDowngraded) {
  TempDir dir;
  auto db = openDb(dir / "store.db");
  ASSERT_TRUE(storage::migrate(*db).isOk());
  const int future = storage::latestSchemaVersion() + 1;
  ASSERT_TRUE(db->exec("PRAGMA user_version=" + std::to_string(future)).isOk());
  const Status s = storage::migrate(*db);
  EXPECT_EQ(s.code(), StatusCode::kCorrupt);
  EXPECT_NE(s.message().find("newer"), std::string::npos) << s.message();
  EXPECT_EQ(*db->userVersion(), future);
}

TEST(MigrationsTest, ForeignKeysHoldOutboxEntriesToTheirRecords) {
  TempDir dir;
  auto db = openDb(dir / "store.db");
  ASSERT_TRUE(storage::migrate(*db).isOk());
  EXPECT_FALSE(db->exec("INSERT INTO outbox(record_id, kind, hlc, change) "
                        "VALUES ('no-such-record', 10, 1, x'00')")
                   .isOk());
}

}  // namespace
}  // namespace opcat::testing
