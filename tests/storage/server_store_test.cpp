// The server store on real SQLite files: migrating a version-1 database to the latest schema
// keeps what it held, and console sessions are stored by token hash, found and revoked.
#include <gtest/gtest.h>

#include "db/server_schema.h"
#include "db/sqlite_server_store.h"
#include "storage/database.h"
#include "storage/migrations.h"
#include "support/temp_dir.h"

namespace opcat::testing {
namespace {

using server::db::ConsoleSession;
using server::db::Role;
using server::db::ServerStore;
using server::db::StoreSession;

constexpr char kUserId[] = "6f1c2d3e-4b5a-4c6d-8e7f-0a1b2c3d4e5f";
const std::string kHashA(64, 'a');
const std::string kHashB(64, 'b');

std::unique_ptr<ServerStore> openStore(const std::filesystem::path& dir) {
  auto store = server::db::openSqliteServerStore(dir);
  EXPECT_TRUE(store.isOk()) << store.status().toString();
  return store.isOk() ? std::move(store).value() : nullptr;
}

int schemaVersion(const std::filesystem::path& dir) {
  auto db = storage::Database::open(dir / "opcat-server.db", false);
  EXPECT_TRUE(db.isOk()) << db.status().toString();
  return *(*db)->userVersion();
}

TEST(ServerStoreTest, MigratesAVersion1DatabaseAndKeepsItsUsers) {
  TempDir dir;
  {
    auto db = storage::Database::open(dir / "opcat-server.db", true);
    ASSERT_TRUE(db.isOk()) << db.status().toString();
    ASSERT_TRUE(storage::migrateSchema(**db, server::db::serverSchemaSteps(), 1).isOk());
    const std::string insert =
        "INSERT INTO users(id, username, role, password_hash, created_at_ms) VALUES ('" +
        std::string(kUserId) + "', 'alice', 2, '$argon2id$x', 7)";
    ASSERT_TRUE((*db)->exec(insert).isOk());
  }
  ASSERT_EQ(schemaVersion(dir.path()), 1);

  auto store = openStore(dir.path());
  ASSERT_TRUE(store);
  EXPECT_EQ(schemaVersion(dir.path()), static_cast<int>(server::db::serverSchemaSteps().size()));
  EXPECT_GE(schemaVersion(dir.path()), 2);
  const Status migrated = store->write([](StoreSession& s) -> Status {
    auto user = s.findUserById(kUserId);
    if (!user) return user.status();
    EXPECT_TRUE(*user);
    if (*user) {
      EXPECT_EQ((*user)->username, "alice");
      EXPECT_EQ((*user)->role, Role::kCoordinator);
    }
    return s.saveConsoleSession(kHashA, ConsoleSession{kUserId, 10, 20, 0});
  });
  ASSERT_TRUE(migrated.isOk()) << migrated.toString();
  store.reset();
  // Opening an up-to-date store changes nothing.
  store = openStore(dir.path());
  ASSERT_TRUE(store);
  const Status reopened = store->read([](StoreSession& s) -> Status {
    auto found = s.findConsoleSessionByTokenHash(kHashA);
    if (!found) return found.status();
    EXPECT_TRUE(*found);
    return Status::ok();
  });
  ASSERT_TRUE(reopened.isOk()) << reopened.toString();
}

TEST(ServerStoreTest, ConsoleSessionsAreFoundByHashAndRevokedOnce) {
  TempDir dir;
  auto store = openStore(dir.path());
  ASSERT_TRUE(store);
  const Status saved = store->write([](StoreSession& s) -> Status {
    return s.saveConsoleSession(kHashA, ConsoleSession{kUserId, 100, 200, 0});
  });
  ASSERT_TRUE(saved.isOk()) << saved.toString();
  // A second session under the same hash is refused (the hash is the key).
  const Status duplicate = store->write([](StoreSession& s) -> Status {
    return s.saveConsoleSession(kHashA, ConsoleSession{"someone-else", 1, 2, 0});
  });
  EXPECT_FALSE(duplicate.isOk()) << duplicate.toString();
  const Status revoked = store->write([](StoreSession& s) -> Status {
    OPCAT_RETURN_IF_ERROR(s.revokeConsoleSession(kHashA, 150));
    OPCAT_RETURN_IF_ERROR(s.revokeConsoleSession(kHashA, 190));  // keeps the first time
    return s.revokeConsoleSession(kHashB, 150);                  // unknown: no effect
  });
  ASSERT_TRUE(revoked.isOk()) << revoked.toString();
  const Status checked = store->read([](StoreSession& s) -> Status {
    auto found = s.findConsoleSessionByTokenHash(kHashA);
    if (!found) return found.status();
    EXPECT_TRUE(*found);
    if (*found) {
      EXPECT_EQ((*found)->userId, kUserId);
      EXPECT_EQ((*found)->createdAtMs, 100);
      EXPECT_EQ((*found)->expiresAtMs, 200);
      EXPECT_EQ((*found)->revokedAtMs, 150);
    }
    auto missing = s.findConsoleSessionByTokenHash(kHashB);
    if (!missing) return missing.status();
    EXPECT_FALSE(*missing);
    auto nobody = s.findUserById(kUserId);
    if (!nobody) return nobody.status();
    EXPECT_FALSE(*nobody);
    return Status::ok();
  });
  ASSERT_TRUE(checked.isOk()) << checked.toString();
}

}  // namespace
}  // namespace opcat::testing
