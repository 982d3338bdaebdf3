#include "db/server_schema.h"

#include <array>

namespace opcat::server::db {
namespace {

constexpr std::array<const char*, 3> kSteps = {
    // 1: records with their merge state, the change log pull serves, exactly-once bookkeeping,
    // access-control indexes, devices, enrollment codes, staff users, settings, audit log.
    R"sql(
      CREATE TABLE settings(
        key TEXT PRIMARY KEY,
        value BLOB NOT NULL
      ) WITHOUT ROWID;
      CREATE TABLE records(
        id TEXT PRIMARY KEY,
        kind INTEGER NOT NULL CHECK (kind BETWEEN 1 AND 18),
        parent_id TEXT NOT NULL,
        scope TEXT NOT NULL,                 -- visit id, '' for every device, 'office'
        deleted INTEGER NOT NULL CHECK (deleted IN (0, 1)),
        content BLOB NOT NULL,               -- current opcat.v1 message
        merge BLOB NOT NULL                  -- every field's heads and the deletes seen
      );
      CREATE INDEX records_by_scope ON records(scope, kind);
      CREATE TABLE change_log(
        seq INTEGER PRIMARY KEY AUTOINCREMENT,  -- the pull cursor
        scope TEXT NOT NULL,
        device_id TEXT NOT NULL,
        change BLOB NOT NULL                 -- opcat.v1.Change as pushed
      );
      CREATE TABLE applied_changes(
        device_id TEXT NOT NULL,
        sequence INTEGER NOT NULL,
        PRIMARY KEY (device_id, sequence)
      ) WITHOUT ROWID;
      CREATE TABLE visits(
        visit_id TEXT PRIMARY KEY,
        team_id TEXT NOT NULL
      ) WITHOUT ROWID;
      CREATE INDEX visits_by_team ON visits(team_id);
      CREATE TABLE team_members(
        team_id TEXT NOT NULL,
        monitor_id TEXT NOT NULL,
        PRIMARY KEY (team_id, monitor_id)
      ) WITHOUT ROWID;
      CREATE INDEX team_members_by_monitor ON team_members(monitor_id);
      CREATE TABLE attachment_blobs(
        attachment_id TEXT PRIMARY KEY,
        sha256 TEXT NOT NULL,
        visit_id TEXT NOT NULL
      ) WITHOUT ROWID;
      CREATE INDEX attachment_blobs_by_sha ON attachment_blobs(sha256);
      CREATE TABLE enrollment_codes(
        code_hash TEXT PRIMARY KEY,          -- SHA-256 of the code: the code itself is not kept
        monitor_id TEXT NOT NULL,
        expires_at_ms INTEGER NOT NULL,
        used_at_ms INTEGER NOT NULL DEFAULT 0
      ) WITHOUT ROWID;
      CREATE TABLE devices(
        id TEXT PRIMARY KEY,
        monitor_id TEXT NOT NULL,
        name TEXT NOT NULL,
        token_hash TEXT NOT NULL UNIQUE,     -- SHA-256 of the token: the token is not kept
        enrolled_at_ms INTEGER NOT NULL,
        revoked_at_ms INTEGER NOT NULL DEFAULT 0,
        last_seen_at_ms INTEGER NOT NULL DEFAULT 0
      ) WITHOUT ROWID;
      CREATE TABLE users(
        id TEXT PRIMARY KEY,
        username TEXT NOT NULL UNIQUE,
        role INTEGER NOT NULL CHECK (role IN (1, 2, 3)),
        password_hash TEXT NOT NULL,         -- Argon2id, crypto_pwhash_str
        created_at_ms INTEGER NOT NULL,
        disabled INTEGER NOT NULL DEFAULT 0
      ) WITHOUT ROWID;
      CREATE TABLE audit_log(
        seq INTEGER PRIMARY KEY,
        at_ms INTEGER NOT NULL,
        actor TEXT NOT NULL,
        event TEXT NOT NULL,
        detail TEXT NOT NULL,
        prev_hash TEXT NOT NULL,
        hash TEXT NOT NULL
      );
      CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
        BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
      CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
        BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
    )sql",
    // 2: staff sign-in sessions for the coordinators' console.
    R"sql(
      CREATE TABLE console_sessions(
        token_hash TEXT PRIMARY KEY,         -- SHA-256 of the cookie's token: it is not kept
        user_id TEXT NOT NULL,
        created_at_ms INTEGER NOT NULL,
        expires_at_ms INTEGER NOT NULL,
        revoked_at_ms INTEGER NOT NULL DEFAULT 0,
        last_used_at_ms INTEGER NOT NULL     -- for the idle timeout; updated at most once a minute
      ) WITHOUT ROWID;
      CREATE INDEX console_sessions_by_user ON console_sessions(user_id);
    )sql",
    // 3: a pull finds a device's page in the scopes it may see through this covering index,
    // instead of reading every log entry after its cursor (200 tablets pulling at once read
    // each other's entries over and over).
    R"sql(
      CREATE INDEX change_log_by_scope ON change_log(scope, seq, device_id);
    )sql",
};

}  // namespace

std::span<const char* const> serverSchemaSteps() { return kSteps; }

}  // namespace opcat::server::db
