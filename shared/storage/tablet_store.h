// The tablet's encrypted store: one data folder holding the key file, the SQLite database and the
// encrypted attachments. Record contents are sealed with the data key before SQLite sees them.
// Every write stores the record, its outbox Change and a history entry in ONE transaction.
#pragma once

#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "crypto/key_file.h"
#include "crypto/record_cipher.h"
#include "domain/record_kind.h"
#include "storage/database.h"
#include "storage/pulled_merge.h"
#include "storage/record_state.h"
#include "sync/change.h"
#include "sync/hlc.h"

namespace opcat::storage {

class WalCheckpointer;

struct StoreOptions {
  crypto::Argon2Params kdf = crypto::Argon2Params::production();
  sync::HybridClock::WallClock wallClock = &sync::HybridClock::systemWallClockMs;
};

// A record as the store holds it, opened.
struct StoredRecord {
  domain::RecordKind kind = domain::RecordKind::kFinding;
  std::string id;
  std::string parentId;
  bool deleted = false;
  bool pending = false;  // has changes the server has not acknowledged (queued in the outbox)
  RecordState state;
};

// A local edit: the record's complete new content (opcat.v1 message bytes) or a delete.
struct RecordWrite {
  domain::RecordKind kind = domain::RecordKind::kFinding;
  std::string id;
  std::string parentId;
  std::string content;  // ignored for deletes
  std::string authorId;
  bool deleted = false;
  // Runs inside the write's transaction, before commit; a failure rolls everything back.
  std::function<Status(Database&)> sameTransaction;
};

// What applying a page of pulled changes did.
struct PullApplyReport {
  std::size_t applied = 0;     // changes that changed something here
  std::size_t ownSkipped = 0;  // this tablet's own changes coming back
  std::size_t conflicted = 0;  // records that now hold a conflict to resolve
};

// Binds a query's parameters; see TabletStore::queryRecords.
using Binder = std::function<void(Statement&)>;

class TabletStore {
 public:
  // A new passphrase has at least this many characters (code points), as NIST SP 800-63B asks
  // of memorised secrets: the key file is all that stands between a seized tablet and its
  // content, and Argon2id only slows each guess.
  static constexpr std::size_t kMinPassphraseLength = 8;

  // Creates a new store in `dir` (made with mode 0700 if missing). kAlreadyExists if the folder
  // already holds a store; kInvalidArgument for a passphrase shorter than kMinPassphraseLength
  // or not UTF-8.
  static Result<std::unique_ptr<TabletStore>> create(const std::filesystem::path& dir,
                                                     std::string_view passphrase,
                                                     const StoreOptions& options = {});
  // Unlocks and opens an existing store, migrating its schema. kWrongPassphrase leaves every
  // file untouched; kNotFound when there is no store.
  static Result<std::unique_ptr<TabletStore>> open(const std::filesystem::path& dir,
                                                   std::string_view passphrase,
                                                   const StoreOptions& options = {});
  // Re-wraps the data key; re-encrypts nothing. The store need not be open. The new passphrase
  // is held to kMinPassphraseLength like a store's first.
  static Status changePassphrase(const std::filesystem::path& dir, std::string_view oldPassphrase,
                                 std::string_view newPassphrase);
  // Destroys the key material first (so nothing can be opened even if deleting the rest is cut
  // short), then deletes the database and attachments. REQUIRES: no open TabletStore on `dir`.
  static Status wipe(const std::filesystem::path& dir);
  static bool exists(const std::filesystem::path& dir);

  ~TabletStore();

  const std::string& deviceId() const { return m_deviceId; }
  const std::filesystem::path& folder() const { return m_dir; }

  // Applies a local edit: seals the new state, queues a Change holding only the fields that
  // differ, and records who changed what (with previous values) in the history, all in one
  // transaction. An edit that changes nothing queues nothing, unless the record was brought
  // back by an edit concurrent with its delete: saving it unchanged keeps it, and clears that
  // flag on every replica once synced (sync::stampLocalChange). Append-only kinds cannot be
  // edited or deleted once written (kAlreadyExists / kInvalidArgument).
  Status write(const RecordWrite& edit);
  // Applies several edits in ONE transaction: all of them or none (e.g. importing a batch).
  Status writeAll(std::span<const RecordWrite> edits);

  // Applies changes pulled from the server (in the server's log order) and stores `cursor`, in
  // ONE transaction, so the cursor never points past data this store holds. The tablet's own
  // changes coming back are skipped: they were applied when they were made. Merged fields get
  // history entries (author, old and new value); records left with a conflict are flagged.
  // `prepared`, when given, is preparePulled(deviceId(), changes): the outcome for
  // each record this store does not hold, computed ahead on another thread.
  // `sameTransaction`, when given, runs in the same transaction before the commit (the sync
  // engine acknowledges its last pushed batch there: one commit for both). The commit is
  // Durability::kRefetchable: `sameTransaction` may only do what the server can redo.
  Result<PullApplyReport> applyPulled(
      std::span<const sync::Change> changes, std::uint64_t cursor,
      std::span<const std::optional<PreparedPull>> prepared = {},
      const std::function<Status(Database&)>& sameTransaction = {});
  // The server log position applied so far (0 before the first pull).
  Result<std::uint64_t> pullCursor();
  // Records holding a conflict to resolve (or restored after a delete), oldest first.
  Result<std::vector<StoredRecord>> conflictedRecords();
  // A change the server refused for good: it leaves the outbox, and the reason is kept
  // (sealed) for the monitor to see. One transaction.
  Status recordRejection(std::uint64_t sequence, std::string_view recordId, int problemCode,
                         std::string_view reason);

  // nullopt when the record does not exist; kTampered when its sealed state fails to open.
  Result<std::optional<StoredRecord>> read(domain::RecordKind kind, std::string_view id);

  // Runs `SELECT id, kind, parent_id, deleted, <pending>, state FROM records <tail>` and opens
  // every row (pending is derived: whether an outbox entry names the record). `tail` may use the SQL functions opcat_int(kind, id, state, field_number) and
  // opcat_text(...), which read one top-level field of the sealed content, so lists are filtered
  // and ordered by SQLite, not by loops here.
  Result<std::vector<StoredRecord>> queryRecords(std::string_view tail, const Binder& bind);

  // Small secrets (server URL, device token, pins, office key), sealed in the meta table.
  Status putSecret(std::string_view name, std::string_view value);
  Result<std::optional<std::string>> secret(std::string_view name);

  Database& database() { return *m_db; }
  const crypto::RecordCipher& cipher() const { return *m_cipher; }
  const crypto::SecretKey& attachmentKey() const { return *m_attachmentKey; }
  sync::HybridClock& clock() { return *m_clock; }

 private:
  TabletStore(std::filesystem::path dir, std::unique_ptr<Database> db, crypto::SecretKey dataKey,
              const StoreOptions& options);
  Status loadMeta();
  // The body of write(); REQUIRES: a write transaction is open.
  Status writeInTransaction(const RecordWrite& edit);
  // Merges one pulled change; REQUIRES: a write transaction is open.
  // `prepared`: its outcome if the record is new here, or nullptr.
  Status applyPulledChange(const sync::Change& change, const PreparedPull* prepared,
                           PullApplyReport& report);
  // Stores a record row (sealed state and clear sync state).
  Status upsertRecord(domain::RecordKind kind, const std::string& id, const std::string& parentId,
                      sync::Hlc hlc, const RecordState& state);
  Status upsertSealed(domain::RecordKind kind, const std::string& id, const std::string& parentId,
                      sync::Hlc hlc, bool deleted, bool conflicted, std::string_view sealedState);
  Result<std::optional<StoredRecord>> readInTransaction(domain::RecordKind kind,
                                                        std::string_view id);
  Result<StoredRecord> openRow(const Statement& row) const;

  std::filesystem::path m_dir;
  std::unique_ptr<Database> m_db;
  std::unique_ptr<WalCheckpointer> m_checkpointer;  // after m_db: stops before it closes
  std::unique_ptr<crypto::RecordCipher> m_cipher;
  std::unique_ptr<crypto::SecretKey> m_attachmentKey;
  std::unique_ptr<sync::HybridClock> m_clock;
  std::string m_deviceId;
};

// Associated-data domains for sealed rows that are not records (records use their kind, 1–18).
inline constexpr int kSealOutbox = 1001;
inline constexpr int kSealHistory = 1002;
inline constexpr int kSealSecret = 1003;

}  // namespace opcat::storage
