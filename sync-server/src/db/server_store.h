// The server's storage interface. Services (push, pull, enrollment, administration) talk to the
// store only through StoreSession, whose operations are plain data access with no sync rules in
// them, so a PostgreSQL backend can implement it later without touching the HTTP or service
// layers. SqliteServerStore (the embedded default) is the one implementation today.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "domain/record_kind.h"
#include "sync/merge.h"

namespace opcat::server::db {

// A record as the server holds it: current content in the clear (identity records hold only
// the tablet's sealed box), its merge state, and the visit it belongs to for access control.
struct ServerRecord {
  domain::RecordKind kind = domain::RecordKind::kFinding;
  std::string id;
  std::string parentId;
  std::string scope;  // see kScope* below, or the id of the visit the record belongs to
  std::string content;
  sync::RecordMergeState merge;
  bool deleted = false;
};

// The merge state as the store keeps it: without the values `content` holds (a record would
// otherwise keep them twice); loading takes them back from the content. Backends store these
// bytes as given, so the work can be done before the single writer needs it (prepareChange).
std::string storedMergeState(const sync::RecordMergeState& merge, std::string_view content);

// Scopes that are not a visit id.
inline constexpr char kScopeAllDevices[] = "";       // registry, monitors, teams
inline constexpr char kScopeOfficeOnly[] = "office";  // never sent to tablets

// One entry of the change log that pull serves, in log order.
struct LoggedChange {
  std::uint64_t seq = 0;
  std::string encoded;  // opcat.v1.Change bytes
};

struct Device {
  std::string id;
  std::string monitorId;
  std::string name;
  std::int64_t enrolledAtMs = 0;
  std::int64_t revokedAtMs = 0;  // 0 while active
  std::int64_t lastSeenAtMs = 0;
};

struct EnrollmentCode {
  std::string monitorId;
  std::int64_t expiresAtMs = 0;
  std::int64_t usedAtMs = 0;  // 0 until burnt
};

enum class Role { kAdmin = 1, kCoordinator = 2, kViewer = 3 };

struct User {
  std::string id;
  std::string username;
  Role role = Role::kViewer;
  std::string passwordHash;  // crypto_pwhash_str (Argon2id)
  std::int64_t createdAtMs = 0;
  bool disabled = false;
};

// A signed-in staff member's console session. The cookie's token is not kept, only its
// SHA-256 (the key under which this is stored).
struct ConsoleSession {
  std::string userId;
  std::int64_t createdAtMs = 0;
  std::int64_t expiresAtMs = 0;  // absolute end, however busy the session is
  std::int64_t revokedAtMs = 0;  // 0 while active
  // The last recorded use, for the idle timeout: the sign-in, then a request at most every
  // sessionUseGranularityMs (see service/staff_auth.h), so it may lag the latest request.
  std::int64_t lastUsedAtMs = 0;
};

struct AuditEntry {
  std::uint64_t seq = 0;
  std::int64_t atMs = 0;
  std::string actor;   // device or user id, or "admin-cli"
  std::string event;   // e.g. "device.enrolled"
  std::string detail;  // ids and reasons only, never record content
  std::string prevHash;
  std::string hash;
};

// One unit of work: everything done through a session opened by ServerStore::write commits
// together or not at all.
class StoreSession {
 public:
  virtual ~StoreSession() = default;

  // Records and the change log.
  virtual Result<std::optional<ServerRecord>> loadRecord(std::string_view id) = 0;
  // Creates the record, or updates its deleted flag, content and merge state: a record's kind,
  // parent and scope are fixed when it is created (the applier refuses a change of kind or
  // parent), and leaving them out of the update spares a write to the scope index per edit.
  // REQUIRES: storedMerge == storedMergeState(record.merge, record.content).
  virtual Status saveRecord(const ServerRecord& record, std::string_view storedMerge) = 0;
  // Appends to the log; returns the new entry's position.
  virtual Result<std::uint64_t> appendToLog(std::string_view scope, std::string_view deviceId,
                                            std::string_view encodedChange) = 0;
  virtual Result<std::uint64_t> logHead() = 0;
  // Entries after `after` that a device of `monitorId` may see, at most `limit`, and the
  // position up to which the log was read (past entries it may not see). Entries pushed by
  // `skipDeviceId` are passed over too: a device already holds its own changes, so sending them
  // back would only double its download ("" skips none).
  virtual Result<std::pair<std::vector<LoggedChange>, std::uint64_t>> readLogForMonitor(
      std::uint64_t after, std::size_t limit, std::string_view monitorId,
      std::string_view skipDeviceId) = 0;

  // Exactly-once effect: which (device, sequence) changes took effect.
  virtual Result<bool> isApplied(std::string_view deviceId, std::uint64_t sequence) = 0;
  virtual Status markApplied(std::string_view deviceId, std::uint64_t sequence) = 0;

  // Access-control indexes, kept by the services as Visit, Team and Attachment records change.
  virtual Status setVisitTeam(std::string_view visitId, std::string_view teamId) = 0;
  virtual Status setTeamMembers(std::string_view teamId,
                                const std::vector<std::string>& monitorIds) = 0;
  virtual Result<bool> monitorMaySeeVisit(std::string_view monitorId,
                                          std::string_view visitId) = 0;
  virtual Status setAttachmentBlob(std::string_view attachmentId, std::string_view sha256Hex,
                                   std::string_view visitId) = 0;
  virtual Result<bool> monitorMaySeeBlob(std::string_view monitorId,
                                         std::string_view sha256Hex) = 0;

  // Devices and enrollment.
  virtual Status saveEnrollmentCode(std::string_view codeHash, const EnrollmentCode& code) = 0;
  virtual Result<std::optional<EnrollmentCode>> findEnrollmentCode(std::string_view codeHash) = 0;
  virtual Status burnEnrollmentCode(std::string_view codeHash, std::int64_t atMs) = 0;
  virtual Status saveDevice(const Device& device, std::string_view tokenHash) = 0;
  virtual Result<std::optional<Device>> findDevice(std::string_view deviceId) = 0;
  virtual Result<std::optional<Device>> findDeviceByTokenHash(std::string_view tokenHash) = 0;
  virtual Result<std::vector<Device>> listDevices() = 0;
  virtual Status revokeDevice(std::string_view deviceId, std::int64_t atMs) = 0;
  virtual Status touchDevice(std::string_view deviceId, std::int64_t atMs) = 0;

  // Staff users.
  virtual Status saveUser(const User& user) = 0;
  virtual Result<std::optional<User>> findUserByName(std::string_view username) = 0;
  virtual Result<std::vector<User>> listUsers() = 0;

  // Settings (e.g. the office's public key).
  virtual Status putSetting(std::string_view key, std::string_view value) = 0;
  virtual Result<std::optional<std::string>> setting(std::string_view key) = 0;

  // The append-only audit log. `entry.seq`, prevHash and hash are filled by the caller.
  virtual Result<std::optional<AuditEntry>> lastAuditEntry() = 0;
  virtual Status appendAudit(const AuditEntry& entry) = 0;
  virtual Result<std::vector<AuditEntry>> auditEntries() = 0;

  // Nested units inside a write that roll back alone (the push fuzzer undoes one apply to
  // compare it with another). Pushes do without: a savepoint copies every page touched after it
  // (see SyncService::commitGroup).
  virtual Status savepoint(std::string_view name) = 0;
  virtual Status release(std::string_view name) = 0;
  virtual Status rollbackTo(std::string_view name) = 0;

  // Staff users by id, and their console sessions (keyed by the token's SHA-256).
  virtual Result<std::optional<User>> findUserById(std::string_view userId) = 0;
  virtual Status saveConsoleSession(std::string_view tokenHash, const ConsoleSession& session) = 0;
  virtual Result<std::optional<ConsoleSession>> findConsoleSessionByTokenHash(
      std::string_view tokenHash) = 0;
  // Marks the session revoked at `atMs`; a session already revoked keeps its first time.
  virtual Status revokeConsoleSession(std::string_view tokenHash, std::int64_t atMs) = 0;
  // Records a use of the session at `atMs`: its last use only moves forward, and a revoked or
  // unknown session is left as it is.
  virtual Status touchConsoleSession(std::string_view tokenHash, std::int64_t atMs) = 0;
};

class ServerStore {
 public:
  using Work = std::function<Status(StoreSession&)>;
  virtual ~ServerStore() = default;
  // Runs `work` in one write transaction, durable (fsync) on commit; commits when it returns
  // ok, rolls back otherwise. Writes are serialised.
  virtual Status write(const Work& work) = 0;
  // Runs `work` on a consistent snapshot, concurrently with writes and other reads.
  virtual Status read(const Work& work) = 0;
};

}  // namespace opcat::server::db
