// A thin RAII layer over one SQLite connection: prepared statements, transactions, and every
// SQLite error turned into a Status that names the statement's purpose. No SQL lives here.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>

#include "core/status.h"

namespace opcat::storage {

class Database;

// A prepared statement. Bind indexes are 1-based, as in SQLite.
class Statement {
 public:
  Statement(Statement&&) noexcept = default;
  Statement& operator=(Statement&&) noexcept = default;

  Statement& bind(int index, std::int64_t value);
  Statement& bind(int index, std::string_view text);   // as TEXT
  Statement& bindBlob(int index, std::string_view bytes);
  Statement& bindNull(int index);

  // Runs one step: true when a row is ready, false when done. Errors go to status().
  bool step();
  // Runs to completion, discarding rows.
  Status run();
  // Resets for another execution with new bindings.
  void reset();
  // The first error of step()/run() since the last reset, naming the statement.
  const Status& status() const { return m_status; }

  std::int64_t columnInt(int column) const;
  std::string_view columnText(int column) const;
  std::string_view columnBlob(int column) const;
  bool columnIsNull(int column) const;

 private:
  friend class Database;
  struct Finalize {
    void operator()(sqlite3_stmt* stmt) const { sqlite3_finalize(stmt); }
  };
  Statement(sqlite3* db, sqlite3_stmt* stmt) : m_db(db), m_stmt(stmt) {}
  sqlite3* m_db;
  std::unique_ptr<sqlite3_stmt, Finalize> m_stmt;
  Status m_status;
};

// A cached prepared statement on loan: reset (and unbound) when the lease ends, so that no
// statement is left mid-result holding a read snapshot open.
class StatementLease {
 public:
  explicit StatementLease(Statement* statement) : m_statement(statement) {}
  StatementLease(StatementLease&& other) noexcept
      : m_statement(std::exchange(other.m_statement, nullptr)) {}
  StatementLease& operator=(StatementLease&&) = delete;
  ~StatementLease() {
    if (m_statement != nullptr) m_statement->reset();
  }
  Statement* operator->() { return m_statement; }
  Statement& operator*() { return *m_statement; }

 private:
  Statement* m_statement;
};

class Database {
 public:
  // Opens (creating if asked) a database file with the settings every Opcat store relies on:
  // WAL, synchronous=FULL, foreign keys on, temp data in memory only (no plaintext spills to temp
  // files), secure_delete (freed pages are zeroed), and a busy timeout. `newPageSize` (a power of
  // two, 512 to 65536; 0 for SQLite's default) applies only to a database this call creates: an
  // existing one keeps its page size (WAL mode cannot change it).
  static Result<std::unique_ptr<Database>> open(const std::filesystem::path& path, bool create,
                                                int newPageSize = 0);
  ~Database();
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  // Runs one or more statements without results (DDL, pragmas).
  Status exec(std::string_view sql);
  Result<Statement> prepare(std::string_view sql);
  // The prepared statement for `sql`, prepared once per connection and reused (hot paths).
  // REQUIRES: `sql` is a string literal (it is keyed by address); one lease per SQL at a time.
  Result<StatementLease> cached(const char* sql);
  // The current value of `PRAGMA user_version`.
  Result<int> userVersion();

  sqlite3* handle() { return m_db; }
  Status lastError(std::string_view what) const;

 private:
  explicit Database(sqlite3* db) : m_db(db) {}
  // Declared before m_db's close in ~Database: statements are finalized first.
  sqlite3* m_db;
  std::unordered_map<const char*, Statement> m_cache;
};

// What a commit has done when it returns.
enum class Durability {
  // On disk (synchronous=FULL): survives a power loss. For anything only this store holds.
  kOnDisk,
  // Atomic, and kept if the process dies, but a power loss may roll it back whole
  // (synchronous=NORMAL: the WAL is not flushed). Only for what can be fetched again: a page
  // pulled from the server with its cursor, or the deletion of outbox entries the server
  // acknowledged (rolled back, they are pushed again and the server applies them once). A later
  // kOnDisk commit flushes the WAL, and this commit with it, since the WAL is written in order.
  kRefetchable,
};

// BEGIN IMMEDIATE on construction; ROLLBACK on destruction unless commit() succeeded.
// IMMEDIATE takes the write lock up front, so a read-then-write inside cannot deadlock.
class Transaction {
 public:
  static Result<Transaction> begin(Database& db, Durability durability = Durability::kOnDisk);
  Transaction(Transaction&& other) noexcept;
  Transaction& operator=(Transaction&&) = delete;
  ~Transaction();
  Status commit();

 private:
  Transaction(Database* db, Durability durability) : m_db(db), m_durability(durability) {}
  // Puts the connection back to synchronous=FULL after a kRefetchable transaction.
  Status restoreDurability(Database& db) const;
  Database* m_db;
  Durability m_durability;
};

}  // namespace opcat::storage
