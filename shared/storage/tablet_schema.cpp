#include "storage/tablet_schema.h"

#include <array>

#include "storage/migrations.h"

namespace opcat::storage {
namespace {

// Everything that is not an id, a kind, a parent id, a clock or sync state is a sealed BLOB:
// SQLite never sees plaintext record content.
constexpr std::array<const char*, 5> kSteps = {
    // 1: records, their outbox, and store metadata.
    R"sql(
      CREATE TABLE meta(
        key TEXT PRIMARY KEY,
        value BLOB NOT NULL
      ) WITHOUT ROWID;
      CREATE TABLE records(
        id TEXT PRIMARY KEY,                     -- client-generated UUID, never a row id
        kind INTEGER NOT NULL CHECK (kind BETWEEN 1 AND 18),
        parent_id TEXT,
        hlc INTEGER NOT NULL,                    -- greatest field clock
        deleted INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1)),
        pending INTEGER NOT NULL DEFAULT 0 CHECK (pending IN (0, 1)),
        state BLOB NOT NULL                      -- sealed: content and per-field clocks
      );
      CREATE INDEX records_by_parent ON records(kind, parent_id);
      CREATE TABLE outbox(
        seq INTEGER PRIMARY KEY AUTOINCREMENT,   -- the change's sequence: never reused
        record_id TEXT NOT NULL REFERENCES records(id),
        kind INTEGER NOT NULL,
        hlc INTEGER NOT NULL,
        change BLOB NOT NULL                     -- sealed opcat.v1.Change
      );
      CREATE INDEX outbox_by_record ON outbox(record_id);
    )sql",
    // 2: history of every change, for audit and conflict display.
    R"sql(
      CREATE TABLE history(
        id INTEGER PRIMARY KEY,
        record_id TEXT NOT NULL REFERENCES records(id),
        seq INTEGER,                             -- the local change, NULL for pulled ones
        hlc INTEGER NOT NULL,
        entry BLOB NOT NULL                      -- sealed: author, fields, old and new values
      );
      CREATE INDEX history_by_record ON history(record_id, id);
    )sql",
    // 3: encrypted attachment files and whether the server has them.
    R"sql(
      CREATE TABLE attachment_files(
        attachment_id TEXT PRIMARY KEY REFERENCES records(id),
        file_name TEXT NOT NULL UNIQUE,          -- random, says nothing of the content
        uploaded INTEGER NOT NULL DEFAULT 0 CHECK (uploaded IN (0, 1))
      );
    )sql",
    // 4: sync state for people: which records hold conflicts to resolve, and the changes the
    // server refused (why, sealed), so nothing disappears without the monitor being told.
    R"sql(
      ALTER TABLE records ADD COLUMN conflicted INTEGER NOT NULL DEFAULT 0
        CHECK (conflicted IN (0, 1));
      CREATE INDEX records_conflicted ON records(conflicted) WHERE conflicted = 1;
      CREATE TABLE sync_rejections(
        seq INTEGER PRIMARY KEY,                 -- the refused change's sequence
        record_id TEXT NOT NULL REFERENCES records(id),
        problem_code INTEGER NOT NULL,
        reason BLOB NOT NULL                     -- sealed: the server's explanation
      );
    )sql",
    // 5: "pending" is derived from the outbox (a record has changes waiting while an outbox row
    // names it; outbox_by_record answers that), not stored: keeping a stored copy meant
    // rewriting the whole sealed record row for every acknowledged change.
    R"sql(
      ALTER TABLE records DROP COLUMN pending;
    )sql",
};

}  // namespace

int latestSchemaVersion() { return static_cast<int>(kSteps.size()); }

Status migrate(Database& db, int target) { return migrateSchema(db, kSteps, target); }

}  // namespace opcat::storage
