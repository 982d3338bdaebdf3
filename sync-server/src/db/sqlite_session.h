// StoreSession over one SQLite connection, with its prepared statements cached: every query
// of the server's store is here, and only here.
#pragma once

#include <memory>
#include <unordered_map>

#include "db/server_store.h"
#include "storage/database.h"

namespace opcat::server::db {

// A connection and its prepared statements, keyed by the SQL literal's address.
class SqliteConnection {
 public:
  explicit SqliteConnection(std::unique_ptr<storage::Database> db) : m_db(std::move(db)) {}
  storage::Database& database() { return *m_db; }
  // The prepared statement for `sql`, reset and unbound. REQUIRES: `sql` is a string literal.
  Result<storage::Statement*> statement(const char* sql);
  // Resets every cached statement. A statement left mid-result keeps SQLite's read snapshot
  // open, so this must run before a transaction ends, or later reads would see stale data.
  void resetAll();

 private:
  std::unique_ptr<storage::Database> m_db;
  std::unordered_map<const char*, storage::Statement> m_statements;
};

class SqliteSession final : public StoreSession {
 public:
  explicit SqliteSession(SqliteConnection& connection) : m_c(connection) {}

  Result<std::optional<ServerRecord>> loadRecord(std::string_view id) override;
  Status saveRecord(const ServerRecord& record, std::string_view storedMerge) override;
  Result<std::uint64_t> appendToLog(std::string_view scope, std::string_view deviceId,
                                    std::string_view encodedChange) override;
  Result<std::uint64_t> logHead() override;
  Result<std::pair<std::vector<LoggedChange>, std::uint64_t>> readLogForMonitor(
      std::uint64_t after, std::size_t limit, std::string_view monitorId,
      std::string_view skipDeviceId) override;
  Result<bool> isApplied(std::string_view deviceId, std::uint64_t sequence) override;
  Status markApplied(std::string_view deviceId, std::uint64_t sequence) override;
  Status setVisitTeam(std::string_view visitId, std::string_view teamId) override;
  Status setTeamMembers(std::string_view teamId,
                        const std::vector<std::string>& monitorIds) override;
  Result<bool> monitorMaySeeVisit(std::string_view monitorId, std::string_view visitId) override;
  Status setAttachmentBlob(std::string_view attachmentId, std::string_view sha256Hex,
                           std::string_view visitId) override;
  Result<bool> monitorMaySeeBlob(std::string_view monitorId, std::string_view sha256Hex) override;
  Status saveEnrollmentCode(std::string_view codeHash, const EnrollmentCode& code) override;
  Result<std::optional<EnrollmentCode>> findEnrollmentCode(std::string_view codeHash) override;
  Status burnEnrollmentCode(std::string_view codeHash, std::int64_t atMs) override;
  Status saveDevice(const Device& device, std::string_view tokenHash) override;
  Result<std::optional<Device>> findDevice(std::string_view deviceId) override;
  Result<std::optional<Device>> findDeviceByTokenHash(std::string_view tokenHash) override;
  Result<std::vector<Device>> listDevices() override;
  Status revokeDevice(std::string_view deviceId, std::int64_t atMs) override;
  Status touchDevice(std::string_view deviceId, std::int64_t atMs) override;
  Status saveUser(const User& user) override;
  Result<std::optional<User>> findUserByName(std::string_view username) override;
  Result<std::vector<User>> listUsers() override;
  Status putSetting(std::string_view key, std::string_view value) override;
  Result<std::optional<std::string>> setting(std::string_view key) override;
  Result<std::optional<AuditEntry>> lastAuditEntry() override;
  Status appendAudit(const AuditEntry& entry) override;
  Result<std::vector<AuditEntry>> auditEntries() override;
  Status savepoint(std::string_view name) override;
  Status release(std::string_view name) override;
  Status rollbackTo(std::string_view name) override;
  Result<std::optional<User>> findUserById(std::string_view userId) override;
  Status saveConsoleSession(std::string_view tokenHash, const ConsoleSession& session) override;
  Result<std::optional<ConsoleSession>> findConsoleSessionByTokenHash(
      std::string_view tokenHash) override;
  Status revokeConsoleSession(std::string_view tokenHash, std::int64_t atMs) override;
  Status touchConsoleSession(std::string_view tokenHash, std::int64_t atMs) override;

 private:
  Result<std::optional<Device>> findDeviceBy(const char* sql, std::string_view key);
  SqliteConnection& m_c;
};

}  // namespace opcat::server::db
