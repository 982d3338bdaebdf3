// The server store on real SQLite files: migrating a version-1 database to the latest schema
// keeps what it held, and console sessions are stored by token hash, found, revoked and their
// use recorded; the console's idle timeout over such a store.
#include <gtest/gtest.h>

#include "db/server_schema.h"
#include "db/sqlite_server_store.h"
#include "service/device_auth.h"
#include "service/staff_auth.h"
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
    return s.saveConsoleSession(kHashA, ConsoleSession{kUserId, 10, 20, 0, 10});
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
    return s.saveConsoleSession(kHashA, ConsoleSession{kUserId, 100, 200, 0, 100});
  });
  ASSERT_TRUE(saved.isOk()) << saved.toString();
  // A second session under the same hash is refused (the hash is the key).
  const Status duplicate = store->write([](StoreSession& s) -> Status {
    return s.saveConsoleSession(kHashA, ConsoleSession{"someone-else", 1, 2, 0, 1});
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
      EXPECT_EQ((*found)->lastUsedAtMs, 100);
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

// The last use recorded for kHashA, or -1.
std::int64_t lastUsed(ServerStore& store) {
  std::int64_t at = -1;
  const Status read = store.read([&](StoreSession& s) -> Status {
    auto found = s.findConsoleSessionByTokenHash(kHashA);
    if (!found) return found.status();
    if (*found) at = (*found)->lastUsedAtMs;
    return Status::ok();
  });
  EXPECT_TRUE(read.isOk()) << read.toString();
  return at;
}

TEST(ServerStoreTest, TouchingASessionOnlyMovesItsLastUseForward) {
  TempDir dir;
  auto store = openStore(dir.path());
  ASSERT_TRUE(store);
  auto write = [&](const ServerStore::Work& work) {
    const Status done = store->write(work);
    EXPECT_TRUE(done.isOk()) << done.toString();
  };
  write([](StoreSession& s) {
    return s.saveConsoleSession(kHashA, ConsoleSession{kUserId, 100, 10'000, 0, 100});
  });
  EXPECT_EQ(lastUsed(*store), 100);
  write([](StoreSession& s) { return s.touchConsoleSession(kHashA, 250); });
  EXPECT_EQ(lastUsed(*store), 250);
  write([](StoreSession& s) { return s.touchConsoleSession(kHashA, 200); });  // out of order
  EXPECT_EQ(lastUsed(*store), 250);
  write([](StoreSession& s) { return s.touchConsoleSession(kHashB, 300); });  // unknown: no-op
  write([](StoreSession& s) -> Status {
    OPCAT_RETURN_IF_ERROR(s.revokeConsoleSession(kHashA, 400));
    return s.touchConsoleSession(kHashA, 500);  // signed out: left as it was
  });
  EXPECT_EQ(lastUsed(*store), 250);
}

// Counts the writes of the store it wraps.
class CountingStore : public ServerStore {
 public:
  explicit CountingStore(ServerStore& inner) : m_inner(inner) {}
  Status write(const Work& work) override {
    ++writes;
    return m_inner.write(work);
  }
  Status read(const Work& work) override { return m_inner.read(work); }
  int writes = 0;

 private:
  ServerStore& m_inner;
};

TEST(ServerStoreTest, IdleSessionsAreRefusedAndUsesRecordedOncePerGranule) {
  TempDir dir;
  auto opened = openStore(dir.path());
  ASSERT_TRUE(opened);
  CountingStore store(*opened);
  constexpr std::int64_t kIdle = 15 * 60 * 1000;
  constexpr std::int64_t kGranule = 60 * 1000;
  ASSERT_EQ(server::sessionUseGranularityMs(kIdle), kGranule);
  constexpr std::int64_t kStart = 1'700'000'000'000;
  const std::string token = server::newSessionToken();
  const std::vector<std::pair<std::string, std::string>> cookie = {
      {"Cookie", std::string("opcat_session=") + token}};
  const Status saved = store.write([&](StoreSession& s) -> Status {
    OPCAT_RETURN_IF_ERROR(s.saveUser(
        server::db::User{kUserId, "alice", Role::kCoordinator, "$argon2id$x", 1, false}));
    return s.saveConsoleSession(
        server::secretHash(token),
        ConsoleSession{kUserId, kStart, kStart + 8 * 3600 * 1000, 0, kStart});
  });
  ASSERT_TRUE(saved.isOk()) << saved.toString();
  store.writes = 0;
  auto useAt = [&](std::int64_t at) { return server::authenticateStaff(store, cookie, at, kIdle); };

  // Within a granule of the recorded use: accepted, read only.
  auto used = useAt(kStart + kGranule - 1);
  ASSERT_TRUE(used.isOk()) << used.status().toString();
  EXPECT_EQ(used->userId, kUserId);
  EXPECT_EQ(used->idleExpiresAtMs, kStart + kIdle);
  EXPECT_EQ(store.writes, 0);
  // A granule later the use is recorded, which moves the idle end.
  used = useAt(kStart + kGranule);
  ASSERT_TRUE(used.isOk()) << used.status().toString();
  EXPECT_EQ(used->idleExpiresAtMs, kStart + kGranule + kIdle);
  EXPECT_EQ(store.writes, 1);
  const std::int64_t recorded = kStart + kGranule;
  // The last moment before the idle end is still accepted (and recorded)...
  used = useAt(recorded + kIdle - 1);
  ASSERT_TRUE(used.isOk()) << used.status().toString();
  EXPECT_EQ(store.writes, 2);
  // ...and the idle limit after that use, the session has ended.
  const std::int64_t last = recorded + kIdle - 1;
  auto idle = useAt(last + kIdle);
  ASSERT_FALSE(idle.isOk());
  EXPECT_EQ(idle.status().code(), StatusCode::kUnavailable);
  EXPECT_NE(idle.status().message().find("idle session of user "), std::string::npos)
      << idle.status().message();
  EXPECT_EQ(store.writes, 2);  // refused without a write
}

TEST(ServerStoreTest, AnIdleLimitIsNeverExceededWhateverTheRequestPattern) {
  TempDir dir;
  auto store = openStore(dir.path());
  ASSERT_TRUE(store);
  constexpr std::int64_t kIdle = 3000;  // a granule of 200 ms
  const std::string token = server::newSessionToken();
  const std::vector<std::pair<std::string, std::string>> cookie = {
      {"Cookie", std::string("opcat_session=") + token}};
  const Status saved = store->write([&](StoreSession& s) -> Status {
    OPCAT_RETURN_IF_ERROR(
        s.saveUser(server::db::User{kUserId, "alice", Role::kViewer, "$argon2id$x", 1, false}));
    return s.saveConsoleSession(server::secretHash(token),
                                ConsoleSession{kUserId, 0, 1'000'000, 0, 0});
  });
  ASSERT_TRUE(saved.isOk()) << saved.toString();
  // Requests 150 ms apart (under a granule, so most are not recorded) keep it alive...
  std::int64_t at = 0;
  for (; at < 10'000; at += 150) {
    ASSERT_TRUE(server::authenticateStaff(*store, cookie, at, kIdle).isOk()) << at;
  }
  const std::int64_t lastRequest = at - 150;
  // ...and after the last one it ends somewhere between the limit minus a granule and the limit
  // (a refusal records nothing, so the earlier time can be tried after it).
  EXPECT_FALSE(server::authenticateStaff(*store, cookie, lastRequest + kIdle, kIdle).isOk());
  EXPECT_TRUE(server::authenticateStaff(*store, cookie, lastRequest + kIdle - 200, kIdle).isOk());
}

}  // namespace
}  // namespace opcat::testing
