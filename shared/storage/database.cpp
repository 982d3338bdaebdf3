#include "storage/database.h"

#include <utility>

namespace opcat::storage {
namespace {

Status sqliteError(sqlite3* db, std::string_view what) {
  const int code = sqlite3_extended_errcode(db);
  return Status::error(StatusCode::kDatabaseError,
                       std::string(what) + ": " + sqlite3_errmsg(db) + " (sqlite " +
                           std::to_string(code) + ")");
}

}  // namespace

Statement& Statement::bind(int index, std::int64_t value) {
  sqlite3_bind_int64(m_stmt.get(), index, value);
  return *this;
}

Statement& Statement::bind(int index, std::string_view text) {
  sqlite3_bind_text64(m_stmt.get(), index, text.data(), text.size(), SQLITE_TRANSIENT,
                      SQLITE_UTF8);
  return *this;
}

Statement& Statement::bindBlob(int index, std::string_view bytes) {
  // A zero-length blob must still be a blob, not NULL: SQLite needs a non-null pointer for that.
  static const char kEmpty = 0;
  sqlite3_bind_blob64(m_stmt.get(), index, bytes.empty() ? &kEmpty : bytes.data(), bytes.size(),
                      SQLITE_TRANSIENT);
  return *this;
}

Statement& Statement::bindNull(int index) {
  sqlite3_bind_null(m_stmt.get(), index);
  return *this;
}

bool Statement::step() {
  const int rc = sqlite3_step(m_stmt.get());
  if (rc == SQLITE_ROW) return true;
  if (rc != SQLITE_DONE && m_status.isOk()) {
    m_status = sqliteError(m_db, std::string("statement failed: ") + sqlite3_sql(m_stmt.get()));
  }
  return false;
}

Status Statement::run() {
  while (step()) {
  }
  return m_status;
}

void Statement::reset() {
  sqlite3_reset(m_stmt.get());
  sqlite3_clear_bindings(m_stmt.get());
  m_status = Status::ok();
}

std::int64_t Statement::columnInt(int column) const {
  return sqlite3_column_int64(m_stmt.get(), column);
}

std::string_view Statement::columnText(int column) const {
  const auto* text = sqlite3_column_text(m_stmt.get(), column);
  const int size = sqlite3_column_bytes(m_stmt.get(), column);
  if (text == nullptr) return {};
  return {reinterpret_cast<const char*>(text), static_cast<std::size_t>(size)};
}

std::string_view Statement::columnBlob(int column) const {
  const void* blob = sqlite3_column_blob(m_stmt.get(), column);
  const int size = sqlite3_column_bytes(m_stmt.get(), column);
  if (blob == nullptr) return {};
  return {static_cast<const char*>(blob), static_cast<std::size_t>(size)};
}

bool Statement::columnIsNull(int column) const {
  return sqlite3_column_type(m_stmt.get(), column) == SQLITE_NULL;
}

Result<std::unique_ptr<Database>> Database::open(const std::filesystem::path& path, bool create,
                                                 int newPageSize) {
  sqlite3* raw = nullptr;
  const int flags = SQLITE_OPEN_READWRITE | (create ? SQLITE_OPEN_CREATE : 0) |
                    SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE;
  const int rc = sqlite3_open_v2(path.c_str(), &raw, flags, nullptr);
  std::unique_ptr<Database> db(new Database(raw));
  if (rc != SQLITE_OK) {
    return Status::error(StatusCode::kDatabaseError,
                         "cannot open database " + path.string() + ": " + sqlite3_errstr(rc));
  }
  // Before anything is written: the first write (switching to WAL) fixes the page size.
  if (newPageSize != 0) {
    OPCAT_RETURN_IF_ERROR(db->exec("PRAGMA page_size=" + std::to_string(newPageSize)));
  }
  // journal_mode returns a row; exec() discards it. WAL must be confirmed, not assumed.
  OPCAT_RETURN_IF_ERROR(db->exec(
      "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;"
      "PRAGMA temp_store=MEMORY; PRAGMA secure_delete=ON; PRAGMA busy_timeout=5000;"));
  auto mode = db->prepare("PRAGMA journal_mode");
  if (!mode) return mode.status();
  if (!mode->step() || mode->columnText(0) != "wal") {
    return Status::error(StatusCode::kDatabaseError,
                         "database " + path.string() + " could not switch to WAL mode");
  }
  return db;
}

Database::~Database() {
  m_cache.clear();  // finalize cached statements before closing
  sqlite3_close_v2(m_db);
}

Result<StatementLease> Database::cached(const char* sql) {
  auto it = m_cache.find(sql);
  if (it == m_cache.end()) {
    auto prepared = prepare(sql);
    if (!prepared) return prepared.status();
    it = m_cache.emplace(sql, std::move(prepared).value()).first;
  }
  return StatementLease(&it->second);
}

Status Database::exec(std::string_view sql) {
  const std::string copy(sql);
  char* message = nullptr;
  const int rc = sqlite3_exec(m_db, copy.c_str(), nullptr, nullptr, &message);
  if (rc != SQLITE_OK) {
    std::string text = message != nullptr ? message : sqlite3_errstr(rc);
    sqlite3_free(message);
    return Status::error(StatusCode::kDatabaseError, "exec failed: " + text);
  }
  return Status::ok();
}

Result<Statement> Database::prepare(std::string_view sql) {
  sqlite3_stmt* stmt = nullptr;
  const int rc = sqlite3_prepare_v3(m_db, sql.data(), static_cast<int>(sql.size()),
                                    SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
  if (rc != SQLITE_OK) return sqliteError(m_db, "cannot prepare " + std::string(sql));
  return Statement(m_db, stmt);
}

Result<int> Database::userVersion() {
  auto stmt = prepare("PRAGMA user_version");
  if (!stmt) return stmt.status();
  if (!stmt->step()) return lastError("reading user_version");
  return static_cast<int>(stmt->columnInt(0));
}

Status Database::lastError(std::string_view what) const { return sqliteError(m_db, what); }

Result<Transaction> Transaction::begin(Database& db, Durability durability) {
  // The setting applies to the connection, so it is changed outside the transaction and put
  // back as soon as it ends: no other commit on this connection runs with it relaxed.
  if (durability == Durability::kRefetchable) {
    OPCAT_RETURN_IF_ERROR(db.exec("PRAGMA synchronous=NORMAL"));
  }
  Transaction tx(&db, durability);
  const Status begun = db.exec("BEGIN IMMEDIATE");
  if (!begun.isOk()) {
    tx.m_db = nullptr;
    OPCAT_RETURN_IF_ERROR(tx.restoreDurability(db));
    return begun;
  }
  return tx;
}

Transaction::Transaction(Transaction&& other) noexcept
    : m_db(std::exchange(other.m_db, nullptr)), m_durability(other.m_durability) {}

Transaction::~Transaction() {
  if (m_db == nullptr) return;
  (void)m_db->exec("ROLLBACK");
  (void)restoreDurability(*m_db);
}

Status Transaction::commit() {
  Status s = m_db->exec("COMMIT");
  if (!s.isOk()) return s;
  Database& db = *std::exchange(m_db, nullptr);
  return restoreDurability(db);
}

Status Transaction::restoreDurability(Database& db) const {
  if (m_durability == Durability::kOnDisk) return Status::ok();
  return db.exec("PRAGMA synchronous=FULL");
}

}  // namespace opcat::storage
