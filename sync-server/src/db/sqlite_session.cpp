#include "db/sqlite_session.h"

#include <sqlite3.h>

#include <string>

#include "sync/codec/record_fields.h"

namespace opcat::server::db {

// Binds `var` to the cached statement for the literal `sql`, or returns its error.
#define OPCAT_STATEMENT(var, sql)                  \
  auto var##Prepared = m_c.statement(sql);         \
  if (!var##Prepared) return var##Prepared.status(); \
  storage::Statement& var = **var##Prepared

namespace {

std::int64_t i64(std::uint64_t v) { return static_cast<std::int64_t>(v); }

Device deviceFrom(const storage::Statement& s) {
  return Device{std::string(s.columnText(0)), std::string(s.columnText(1)),
                std::string(s.columnText(2)), s.columnInt(3), s.columnInt(4), s.columnInt(5)};
}

}  // namespace

Result<storage::Statement*> SqliteConnection::statement(const char* sql) {
  auto it = m_statements.find(sql);
  if (it == m_statements.end()) {
    auto prepared = m_db->prepare(sql);
    if (!prepared) return prepared.status();
    it = m_statements.emplace(sql, std::move(prepared).value()).first;
  }
  it->second.reset();
  return &it->second;
}

void SqliteConnection::resetAll() {
  for (auto& [sql, statement] : m_statements) statement.reset();
}

Result<std::optional<ServerRecord>> SqliteSession::loadRecord(std::string_view id) {
  OPCAT_STATEMENT(s, "SELECT kind, parent_id, scope, deleted, content, merge FROM records "
                     "WHERE id = ?1");
  s.bind(1, id);
  if (!s.step()) {
    OPCAT_RETURN_IF_ERROR(s.status());
    return std::optional<ServerRecord>();
  }
  const auto kind = domain::recordKindFromInt(static_cast<int>(s.columnInt(0)));
  // The merge state leaves out the values its content holds (see storedMergeState).
  const std::string_view content = s.columnBlob(4);
  auto merge = sync::RecordMergeState::parse(s.columnBlob(5), codec::heldFieldValues(content));
  if (!kind || !merge) {
    return Status::error(StatusCode::kCorrupt, "record " + std::string(id) + " is damaged");
  }
  return std::optional<ServerRecord>(ServerRecord{
      *kind, std::string(id), std::string(s.columnText(1)), std::string(s.columnText(2)),
      std::string(content), std::move(merge).value(), s.columnInt(3) != 0});
}

std::string storedMergeState(const sync::RecordMergeState& merge, std::string_view content) {
  return merge.serialize(codec::heldFieldValues(content));
}

Status SqliteSession::saveRecord(const ServerRecord& r, std::string_view storedMerge) {
  OPCAT_STATEMENT(s, "INSERT INTO records(id, kind, parent_id, scope, deleted, content, merge) "
                     "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT(id) DO UPDATE SET "
                     "deleted = excluded.deleted, content = excluded.content, "
                     "merge = excluded.merge");
  return s.bind(1, r.id)
      .bind(2, static_cast<std::int64_t>(r.kind))
      .bind(3, r.parentId)
      .bind(4, r.scope)
      .bind(5, std::int64_t{r.deleted ? 1 : 0})
      .bindBlob(6, r.content)
      .bindBlob(7, storedMerge)
      .run();
}

Result<std::uint64_t> SqliteSession::appendToLog(std::string_view scope, std::string_view deviceId,
                                                 std::string_view encodedChange) {
  // seq is the rowid. The last insert's rowid is cheaper to read than a RETURNING clause, which
  // SQLite runs through a temporary table for every row.
  OPCAT_STATEMENT(s, "INSERT INTO change_log(scope, device_id, change) VALUES (?1, ?2, ?3)");
  OPCAT_RETURN_IF_ERROR(s.bind(1, scope).bind(2, deviceId).bindBlob(3, encodedChange).run());
  return static_cast<std::uint64_t>(sqlite3_last_insert_rowid(m_c.database().handle()));
}

Result<std::uint64_t> SqliteSession::logHead() {
  OPCAT_STATEMENT(s, "SELECT coalesce(max(seq), 0) FROM change_log");
  if (!s.step()) return s.status();
  return static_cast<std::uint64_t>(s.columnInt(0));
}

Result<std::pair<std::vector<LoggedChange>, std::uint64_t>> SqliteSession::readLogForMonitor(
    std::uint64_t after, std::size_t limit, std::string_view monitorId,
    std::string_view skipDeviceId) {
  // The page's positions come from the covering index change_log_by_scope alone (one range per
  // visible scope, merged in a sorter of integers), so a device is not slowed by the entries of
  // scopes it may not see, nor by its own; only the page's own rows are then read.
  OPCAT_STATEMENT(s,
                  "SELECT seq, change FROM change_log WHERE seq IN (SELECT seq FROM change_log "
                  "WHERE seq > ?1 AND device_id <> ?4 AND scope IN (SELECT '' UNION ALL "
                  "SELECT v.visit_id FROM visits v JOIN team_members m ON m.team_id = v.team_id "
                  "WHERE m.monitor_id = ?2) ORDER BY seq LIMIT ?3) ORDER BY seq");
  s.bind(1, i64(after)).bind(2, monitorId).bind(3, static_cast<std::int64_t>(limit))
      .bind(4, skipDeviceId);
  std::vector<LoggedChange> out;
  while (s.step()) {
    out.push_back({static_cast<std::uint64_t>(s.columnInt(0)), std::string(s.columnBlob(1))});
  }
  OPCAT_RETURN_IF_ERROR(s.status());
  // A short page read the log to its end (in this snapshot); a full one up to its last entry.
  std::uint64_t readUpTo = out.empty() ? after : out.back().seq;
  if (out.size() < limit) {
    auto head = logHead();
    if (!head) return head.status();
    readUpTo = std::max(readUpTo, *head);
  }
  return std::make_pair(std::move(out), readUpTo);
}

Result<bool> SqliteSession::isApplied(std::string_view deviceId, std::uint64_t sequence) {
  OPCAT_STATEMENT(s, "SELECT 1 FROM applied_changes WHERE device_id = ?1 AND sequence = ?2");
  s.bind(1, deviceId).bind(2, i64(sequence));
  const bool found = s.step();
  OPCAT_RETURN_IF_ERROR(s.status());
  return found;
}

Status SqliteSession::markApplied(std::string_view deviceId, std::uint64_t sequence) {
  OPCAT_STATEMENT(s, "INSERT INTO applied_changes(device_id, sequence) VALUES (?1, ?2)");
  return s.bind(1, deviceId).bind(2, i64(sequence)).run();
}

Status SqliteSession::setVisitTeam(std::string_view visitId, std::string_view teamId) {
  OPCAT_STATEMENT(s, "INSERT INTO visits(visit_id, team_id) VALUES (?1, ?2) "
                     "ON CONFLICT(visit_id) DO UPDATE SET team_id = excluded.team_id");
  return s.bind(1, visitId).bind(2, teamId).run();
}

Status SqliteSession::setTeamMembers(std::string_view teamId,
                                     const std::vector<std::string>& monitorIds) {
  OPCAT_STATEMENT(clear, "DELETE FROM team_members WHERE team_id = ?1");
  OPCAT_RETURN_IF_ERROR(clear.bind(1, teamId).run());
  OPCAT_STATEMENT(add, "INSERT OR IGNORE INTO team_members(team_id, monitor_id) VALUES (?1, ?2)");
  for (const std::string& monitor : monitorIds) {
    add.reset();
    OPCAT_RETURN_IF_ERROR(add.bind(1, teamId).bind(2, monitor).run());
  }
  return Status::ok();
}

Result<bool> SqliteSession::monitorMaySeeVisit(std::string_view monitorId,
                                               std::string_view visitId) {
  OPCAT_STATEMENT(s, "SELECT 1 FROM visits v JOIN team_members m ON m.team_id = v.team_id "
                     "WHERE v.visit_id = ?1 AND m.monitor_id = ?2");
  s.bind(1, visitId).bind(2, monitorId);
  const bool found = s.step();
  OPCAT_RETURN_IF_ERROR(s.status());
  return found;
}

Status SqliteSession::setAttachmentBlob(std::string_view attachmentId, std::string_view sha256Hex,
                                        std::string_view visitId) {
  OPCAT_STATEMENT(s, "INSERT INTO attachment_blobs(attachment_id, sha256, visit_id) "
                     "VALUES (?1, ?2, ?3) ON CONFLICT(attachment_id) DO UPDATE SET "
                     "sha256 = excluded.sha256, visit_id = excluded.visit_id");
  return s.bind(1, attachmentId).bind(2, sha256Hex).bind(3, visitId).run();
}

Result<bool> SqliteSession::monitorMaySeeBlob(std::string_view monitorId,
                                              std::string_view sha256Hex) {
  OPCAT_STATEMENT(s, "SELECT 1 FROM attachment_blobs a JOIN visits v ON v.visit_id = a.visit_id "
                     "JOIN team_members m ON m.team_id = v.team_id "
                     "WHERE a.sha256 = ?1 AND m.monitor_id = ?2 LIMIT 1");
  s.bind(1, sha256Hex).bind(2, monitorId);
  const bool found = s.step();
  OPCAT_RETURN_IF_ERROR(s.status());
  return found;
}

Status SqliteSession::saveEnrollmentCode(std::string_view codeHash, const EnrollmentCode& code) {
  OPCAT_STATEMENT(s, "INSERT INTO enrollment_codes(code_hash, monitor_id, expires_at_ms, "
                     "used_at_ms) VALUES (?1, ?2, ?3, ?4)");
  return s.bind(1, codeHash)
      .bind(2, code.monitorId)
      .bind(3, code.expiresAtMs)
      .bind(4, code.usedAtMs)
      .run();
}

Result<std::optional<EnrollmentCode>> SqliteSession::findEnrollmentCode(std::string_view codeHash) {
  OPCAT_STATEMENT(s, "SELECT monitor_id, expires_at_ms, used_at_ms FROM enrollment_codes "
                     "WHERE code_hash = ?1");
  s.bind(1, codeHash);
  if (!s.step()) {
    OPCAT_RETURN_IF_ERROR(s.status());
    return std::optional<EnrollmentCode>();
  }
  return std::optional<EnrollmentCode>(
      EnrollmentCode{std::string(s.columnText(0)), s.columnInt(1), s.columnInt(2)});
}

Status SqliteSession::burnEnrollmentCode(std::string_view codeHash, std::int64_t atMs) {
  OPCAT_STATEMENT(s, "UPDATE enrollment_codes SET used_at_ms = ?2 WHERE code_hash = ?1");
  return s.bind(1, codeHash).bind(2, atMs).run();
}

Status SqliteSession::saveDevice(const Device& d, std::string_view tokenHash) {
  OPCAT_STATEMENT(s, "INSERT INTO devices(id, monitor_id, name, token_hash, enrolled_at_ms, "
                     "revoked_at_ms, last_seen_at_ms) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
  return s.bind(1, d.id)
      .bind(2, d.monitorId)
      .bind(3, d.name)
      .bind(4, tokenHash)
      .bind(5, d.enrolledAtMs)
      .bind(6, d.revokedAtMs)
      .bind(7, d.lastSeenAtMs)
      .run();
}

Result<std::optional<Device>> SqliteSession::findDeviceBy(const char* sql, std::string_view key) {
  OPCAT_STATEMENT(s, sql);
  s.bind(1, key);
  if (!s.step()) {
    OPCAT_RETURN_IF_ERROR(s.status());
    return std::optional<Device>();
  }
  return std::optional<Device>(deviceFrom(s));
}

Result<std::optional<Device>> SqliteSession::findDevice(std::string_view deviceId) {
  return findDeviceBy("SELECT id, monitor_id, name, enrolled_at_ms, revoked_at_ms, "
                      "last_seen_at_ms FROM devices WHERE id = ?1",
                      deviceId);
}

Result<std::optional<Device>> SqliteSession::findDeviceByTokenHash(std::string_view tokenHash) {
  return findDeviceBy("SELECT id, monitor_id, name, enrolled_at_ms, revoked_at_ms, "
                      "last_seen_at_ms FROM devices WHERE token_hash = ?1",
                      tokenHash);
}

Result<std::vector<Device>> SqliteSession::listDevices() {
  OPCAT_STATEMENT(s, "SELECT id, monitor_id, name, enrolled_at_ms, revoked_at_ms, "
                     "last_seen_at_ms FROM devices ORDER BY enrolled_at_ms, id");
  std::vector<Device> out;
  while (s.step()) out.push_back(deviceFrom(s));
  OPCAT_RETURN_IF_ERROR(s.status());
  return out;
}

Status SqliteSession::revokeDevice(std::string_view deviceId, std::int64_t atMs) {
  OPCAT_STATEMENT(s, "UPDATE devices SET revoked_at_ms = ?2 WHERE id = ?1 AND revoked_at_ms = 0");
  return s.bind(1, deviceId).bind(2, atMs).run();
}

Status SqliteSession::touchDevice(std::string_view deviceId, std::int64_t atMs) {
  OPCAT_STATEMENT(s, "UPDATE devices SET last_seen_at_ms = ?2 WHERE id = ?1");
  return s.bind(1, deviceId).bind(2, atMs).run();
}

Status SqliteSession::saveUser(const User& u) {
  OPCAT_STATEMENT(s, "INSERT INTO users(id, username, role, password_hash, created_at_ms, "
                     "disabled) VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT(id) DO UPDATE SET "
                     "role = excluded.role, password_hash = excluded.password_hash, "
                     "disabled = excluded.disabled");
  return s.bind(1, u.id)
      .bind(2, u.username)
      .bind(3, static_cast<std::int64_t>(u.role))
      .bind(4, u.passwordHash)
      .bind(5, u.createdAtMs)
      .bind(6, std::int64_t{u.disabled ? 1 : 0})
      .run();
}

namespace {
User userFrom(const storage::Statement& s) {
  return User{std::string(s.columnText(0)), std::string(s.columnText(1)),
              static_cast<Role>(s.columnInt(2)), std::string(s.columnText(3)), s.columnInt(4),
              s.columnInt(5) != 0};
}
}  // namespace

Result<std::optional<User>> SqliteSession::findUserByName(std::string_view username) {
  OPCAT_STATEMENT(s, "SELECT id, username, role, password_hash, created_at_ms, disabled "
                     "FROM users WHERE username = ?1");
  s.bind(1, username);
  if (!s.step()) {
    OPCAT_RETURN_IF_ERROR(s.status());
    return std::optional<User>();
  }
  return std::optional<User>(userFrom(s));
}

Result<std::vector<User>> SqliteSession::listUsers() {
  OPCAT_STATEMENT(s, "SELECT id, username, role, password_hash, created_at_ms, disabled "
                     "FROM users ORDER BY username");
  std::vector<User> out;
  while (s.step()) out.push_back(userFrom(s));
  OPCAT_RETURN_IF_ERROR(s.status());
  return out;
}

Status SqliteSession::putSetting(std::string_view key, std::string_view value) {
  OPCAT_STATEMENT(s, "INSERT INTO settings(key, value) VALUES (?1, ?2) "
                     "ON CONFLICT(key) DO UPDATE SET value = excluded.value");
  return s.bind(1, key).bindBlob(2, value).run();
}

Result<std::optional<std::string>> SqliteSession::setting(std::string_view key) {
  OPCAT_STATEMENT(s, "SELECT value FROM settings WHERE key = ?1");
  s.bind(1, key);
  if (!s.step()) {
    OPCAT_RETURN_IF_ERROR(s.status());
    return std::optional<std::string>();
  }
  return std::optional<std::string>(std::string(s.columnBlob(0)));
}

namespace {
AuditEntry auditFrom(const storage::Statement& s) {
  return AuditEntry{static_cast<std::uint64_t>(s.columnInt(0)), s.columnInt(1),
                    std::string(s.columnText(2)),              std::string(s.columnText(3)),
                    std::string(s.columnText(4)),              std::string(s.columnText(5)),
                    std::string(s.columnText(6))};
}
}  // namespace

Result<std::optional<AuditEntry>> SqliteSession::lastAuditEntry() {
  OPCAT_STATEMENT(s, "SELECT seq, at_ms, actor, event, detail, prev_hash, hash FROM audit_log "
                     "ORDER BY seq DESC LIMIT 1");
  if (!s.step()) {
    OPCAT_RETURN_IF_ERROR(s.status());
    return std::optional<AuditEntry>();
  }
  return std::optional<AuditEntry>(auditFrom(s));
}

Status SqliteSession::appendAudit(const AuditEntry& e) {
  OPCAT_STATEMENT(s, "INSERT INTO audit_log(seq, at_ms, actor, event, detail, prev_hash, hash) "
                     "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
  return s.bind(1, i64(e.seq))
      .bind(2, e.atMs)
      .bind(3, e.actor)
      .bind(4, e.event)
      .bind(5, e.detail)
      .bind(6, e.prevHash)
      .bind(7, e.hash)
      .run();
}

Result<std::vector<AuditEntry>> SqliteSession::auditEntries() {
  OPCAT_STATEMENT(s, "SELECT seq, at_ms, actor, event, detail, prev_hash, hash FROM audit_log "
                     "ORDER BY seq");
  std::vector<AuditEntry> out;
  while (s.step()) out.push_back(auditFrom(s));
  OPCAT_RETURN_IF_ERROR(s.status());
  return out;
}

Status SqliteSession::savepoint(std::string_view name) {
  return m_c.database().exec("SAVEPOINT " + std::string(name));
}

Status SqliteSession::release(std::string_view name) {
  return m_c.database().exec("RELEASE " + std::string(name));
}

Status SqliteSession::rollbackTo(std::string_view name) {
  OPCAT_RETURN_IF_ERROR(m_c.database().exec("ROLLBACK TO " + std::string(name)));
  return release(name);
}

Result<std::optional<User>> SqliteSession::findUserById(std::string_view userId) {
  OPCAT_STATEMENT(s, "SELECT id, username, role, password_hash, created_at_ms, disabled "
                     "FROM users WHERE id = ?1");
  s.bind(1, userId);
  if (!s.step()) {
    OPCAT_RETURN_IF_ERROR(s.status());
    return std::optional<User>();
  }
  return std::optional<User>(userFrom(s));
}

Status SqliteSession::saveConsoleSession(std::string_view tokenHash,
                                         const ConsoleSession& session) {
  OPCAT_STATEMENT(s, "INSERT INTO console_sessions(token_hash, user_id, created_at_ms, "
                     "expires_at_ms, revoked_at_ms, last_used_at_ms) "
                     "VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
  return s.bind(1, tokenHash)
      .bind(2, session.userId)
      .bind(3, session.createdAtMs)
      .bind(4, session.expiresAtMs)
      .bind(5, session.revokedAtMs)
      .bind(6, session.lastUsedAtMs)
      .run();
}

Result<std::optional<ConsoleSession>> SqliteSession::findConsoleSessionByTokenHash(
    std::string_view tokenHash) {
  OPCAT_STATEMENT(s, "SELECT user_id, created_at_ms, expires_at_ms, revoked_at_ms, "
                     "last_used_at_ms FROM console_sessions WHERE token_hash = ?1");
  s.bind(1, tokenHash);
  if (!s.step()) {
    OPCAT_RETURN_IF_ERROR(s.status());
    return std::optional<ConsoleSession>();
  }
  return std::optional<ConsoleSession>(ConsoleSession{std::string(s.columnText(0)),
                                                      s.columnInt(1), s.columnInt(2),
                                                      s.columnInt(3), s.columnInt(4)});
}

Status SqliteSession::revokeConsoleSession(std::string_view tokenHash, std::int64_t atMs) {
  OPCAT_STATEMENT(s, "UPDATE console_sessions SET revoked_at_ms = ?2 "
                     "WHERE token_hash = ?1 AND revoked_at_ms = 0");
  return s.bind(1, tokenHash).bind(2, atMs).run();
}

Status SqliteSession::touchConsoleSession(std::string_view tokenHash, std::int64_t atMs) {
  OPCAT_STATEMENT(s, "UPDATE console_sessions SET last_used_at_ms = ?2 "
                     "WHERE token_hash = ?1 AND revoked_at_ms = 0 AND last_used_at_ms < ?2");
  return s.bind(1, tokenHash).bind(2, atMs).run();
}

#undef OPCAT_STATEMENT

}  // namespace opcat::server::db
