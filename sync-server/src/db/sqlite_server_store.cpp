#include "db/sqlite_server_store.h"

#include <mutex>
#include <vector>

#include "db/server_schema.h"
#include "db/sqlite_session.h"
#include "storage/migrations.h"
#include "storage/wal_checkpointer.h"

namespace opcat::server::db {
namespace {

class SqliteServerStore final : public ServerStore {
 public:
  SqliteServerStore(std::filesystem::path path, std::unique_ptr<SqliteConnection> writer,
                    std::unique_ptr<storage::WalCheckpointer> checkpointer)
      : m_path(std::move(path)),
        m_writer(std::move(writer)),
        m_checkpointer(std::move(checkpointer)) {}

  Status write(const Work& work) override {
    std::lock_guard lock(m_writeMutex);
    auto tx = storage::Transaction::begin(m_writer->database());
    if (!tx) return tx.status();
    SqliteSession session(*m_writer);
    Status done = work(session);
    m_writer->resetAll();
    OPCAT_RETURN_IF_ERROR(done);
    return tx->commit();
  }

  Status read(const Work& work) override {
    auto connection = takeReader();
    if (!connection) return connection.status();
    Status result = [&] {
      // A deferred transaction: one snapshot for every query of `work`.
      OPCAT_RETURN_IF_ERROR((*connection)->database().exec("BEGIN"));
      SqliteSession session(**connection);
      Status s = work(session);
      (*connection)->resetAll();
      Status end = (*connection)->database().exec(s.isOk() ? "COMMIT" : "ROLLBACK");
      return s.isOk() ? end : s;
    }();
    giveBack(std::move(connection).value());
    return result;
  }

 private:
  Result<std::unique_ptr<SqliteConnection>> takeReader() {
    {
      std::lock_guard lock(m_readersMutex);
      if (!m_readers.empty()) {
        auto c = std::move(m_readers.back());
        m_readers.pop_back();
        return c;
      }
    }
    auto db = storage::Database::open(m_path, /*create=*/false);
    if (!db) return db.status();
    return std::make_unique<SqliteConnection>(std::move(db).value());
  }

  void giveBack(std::unique_ptr<SqliteConnection> c) {
    std::lock_guard lock(m_readersMutex);
    m_readers.push_back(std::move(c));
  }

  std::filesystem::path m_path;
  std::mutex m_writeMutex;
  std::unique_ptr<SqliteConnection> m_writer;
  std::unique_ptr<storage::WalCheckpointer> m_checkpointer;  // declared after m_writer: stops first
  std::mutex m_readersMutex;
  std::vector<std::unique_ptr<SqliteConnection>> m_readers;
};

// Pages of a store this server creates. A record (~1 KB of content and as much merge state) and
// its log entry fill several 4 KiB pages; every page a commit writes is a WAL frame with its own
// write calls, and the checkpointer copies each again. With 16 KiB pages a bulk push wrote a
// quarter of the frames, the database was 15 % smaller, and the push used less CPU. A store
// created earlier keeps its page size (WAL mode cannot change it).
constexpr int kNewStorePageSize = 16384;

}  // namespace

Result<std::unique_ptr<ServerStore>> openSqliteServerStore(const std::filesystem::path& dataDir) {
  const auto path = dataDir / "opcat-server.db";
  auto db = storage::Database::open(path, /*create=*/true, kNewStorePageSize);
  if (!db) return db.status();
  OPCAT_RETURN_IF_ERROR(storage::migrateSchema(**db, serverSchemaSteps()));
  auto checkpointer = storage::WalCheckpointer::start(path, **db);
  if (!checkpointer) return checkpointer.status();
  return std::unique_ptr<ServerStore>(std::make_unique<SqliteServerStore>(
      path, std::make_unique<SqliteConnection>(std::move(db).value()),
      std::move(checkpointer).value()));
}

}  // namespace opcat::server::db
