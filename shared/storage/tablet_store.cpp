#include "storage/tablet_store.h"

#include <sys/stat.h>

#include <map>
#include <system_error>

#include "core/utf8.h"
#include "core/uuid.h"
#include "crypto/secure_file.h"
#include "storage/data_folder.h"
#include "storage/field_functions.h"
#include "storage/history.h"
#include "storage/pulled_merge.h"
#include "storage/tablet_schema.h"
#include "storage/wal_checkpointer.h"
#include "sync/codec/change_codec.h"
#include "sync/codec/record_fields.h"

namespace opcat::storage {
namespace fs = std::filesystem;
namespace {

// "pending" is derived from the outbox (schema v5), through its index outbox_by_record.
constexpr char kRecordColumns[] =
    "SELECT id, kind, parent_id, deleted, "
    "EXISTS (SELECT 1 FROM outbox WHERE outbox.record_id = records.id) AS pending, state "
    "FROM records ";
constexpr char kRecordById[] =
    "SELECT id, kind, parent_id, deleted, "
    "EXISTS (SELECT 1 FROM outbox WHERE outbox.record_id = records.id) AS pending, state "
    "FROM records WHERE id = ?1";

// On top of what Database::open sets for every store:
// - secure_delete=FAST instead of ON. SECURITY.md asks that a seized tablet reveal nothing. What
//   a deleted or overwritten row leaves behind is ciphertext: every record state, outbox change,
//   history entry and secret is sealed (XChaCha20-Poly1305 under the data key), and a wipe
//   destroys the key first; the clear columns (ids, kinds, clocks) outlive deletes in the records
//   table anyway. FAST still zeroes deleted cells inside the pages a transaction writes; it only
//   skips the extra writes ON makes to zero whole freed pages (overflow chains, emptied outbox
//   pages), which made every acknowledgement rewrite pages just to erase ciphertext. Old page
//   images also survive in the WAL file whatever this setting says, so ON never gave erasure of
//   sealed bytes; the forensic canary test checks the property that matters: no plaintext.
// - a page cache of 16 MiB (SQLite's default is 2 MiB), so that a pulled page of 1,000 changes
//   (a few MiB of dirty pages) commits without spilling to the WAL mid-transaction.
constexpr char kTabletPragmas[] = "PRAGMA secure_delete=FAST; PRAGMA cache_size=-16384;";

// Pages of 16 KiB for new stores (SQLite's default is 4 KiB). A sealed record row is about
// 1.4 KB for a 1 KB finding: two fit in 4 KiB (30 % of each page wasted), eleven in 16 KiB; and
// every page a commit writes costs a WAL frame (header, checksum, write call). Applying pulled
// pages and bulk saves take about a quarter less time; a single save writes bigger pages and
// takes a little longer (p50 0.3 -> 0.4 ms in store_bench). Stores created earlier keep 4 KiB.
constexpr int kTabletPageSize = 16384;

Status makePrivateFolder(const fs::path& dir) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) return Status::error(StatusCode::kIoError, "cannot create " + dir.string() + ": " + ec.message());
  fs::permissions(dir, fs::perms::owner_all, fs::perm_options::replace, ec);
  if (ec) return Status::error(StatusCode::kIoError, "cannot restrict " + dir.string() + ": " + ec.message());
  return Status::ok();
}

// Says what is wrong with a passphrase a person chose, never what it is.
Status checkNewPassphrase(std::string_view passphrase) {
  if (!isValidUtf8(passphrase)) {
    return Status::error(StatusCode::kInvalidArgument, "the passphrase is not valid UTF-8 text");
  }
  if (utf8Length(passphrase) < TabletStore::kMinPassphraseLength) {
    return Status::error(StatusCode::kInvalidArgument,
                         "the passphrase is too short: it needs at least " +
                             std::to_string(TabletStore::kMinPassphraseLength) + " characters");
  }
  return Status::ok();
}

}  // namespace

TabletStore::TabletStore(fs::path dir, std::unique_ptr<Database> db, crypto::SecretKey dataKey,
                         const StoreOptions& options)
    : m_dir(std::move(dir)),
      m_db(std::move(db)),
      m_cipher(std::make_unique<crypto::RecordCipher>(dataKey.derive(1, "records_"))),
      m_attachmentKey(std::make_unique<crypto::SecretKey>(dataKey.derive(2, "attachmt"))),
      m_clock(std::make_unique<sync::HybridClock>(options.wallClock)) {}

TabletStore::~TabletStore() = default;

bool TabletStore::exists(const fs::path& dir) {
  std::error_code ec;
  return fs::exists(DataFolder::keyFile(dir), ec);
}

Result<std::unique_ptr<TabletStore>> TabletStore::create(const fs::path& dir,
                                                         std::string_view passphrase,
                                                         const StoreOptions& options) {
  OPCAT_RETURN_IF_ERROR(checkNewPassphrase(passphrase));
  if (exists(dir)) {
    return Status::error(StatusCode::kAlreadyExists, "a store already exists in " + dir.string());
  }
  OPCAT_RETURN_IF_ERROR(makePrivateFolder(dir));
  OPCAT_RETURN_IF_ERROR(makePrivateFolder(DataFolder::attachments(dir)));
  auto key = crypto::KeyFile::create(DataFolder::keyFile(dir), passphrase, options.kdf);
  if (!key) return key.status();
  return open(dir, passphrase, options);
}

Result<std::unique_ptr<TabletStore>> TabletStore::open(const fs::path& dir,
                                                       std::string_view passphrase,
                                                       const StoreOptions& options) {
  // The passphrase is checked before the database is touched, so a wrong one changes nothing.
  auto key = crypto::KeyFile::unlock(DataFolder::keyFile(dir), passphrase);
  if (!key) return key.status();
  OPCAT_RETURN_IF_ERROR(makePrivateFolder(DataFolder::attachments(dir)));
  auto db = Database::open(DataFolder::database(dir), /*create=*/true, kTabletPageSize);
  if (!db) return db.status();
  OPCAT_RETURN_IF_ERROR((*db)->exec(kTabletPragmas));
  OPCAT_RETURN_IF_ERROR(migrate(**db));
  // Checkpoints run on their own thread, not inside the commit that crosses the threshold: that
  // commit (a pulled page, usually) took twice as long.
  auto checkpointer = WalCheckpointer::start(DataFolder::database(dir), **db);
  if (!checkpointer) return checkpointer.status();
  std::unique_ptr<TabletStore> store(
      new TabletStore(dir, std::move(db).value(), std::move(key).value(), options));
  store->m_checkpointer = std::move(checkpointer).value();
  OPCAT_RETURN_IF_ERROR(registerFieldFunctions(*store->m_db, *store->m_cipher));
  OPCAT_RETURN_IF_ERROR(store->loadMeta());
  return store;
}

Status TabletStore::loadMeta() {
  auto get = m_db->prepare("SELECT value FROM meta WHERE key = 'device_id'");
  if (!get) return get.status();
  if (get->step()) {
    m_deviceId = std::string(get->columnBlob(0));
  } else {
    OPCAT_RETURN_IF_ERROR(get->status());
    m_deviceId = newUuid();
    auto put = m_db->prepare("INSERT INTO meta(key, value) VALUES ('device_id', ?1)");
    if (!put) return put.status();
    OPCAT_RETURN_IF_ERROR(put->bindBlob(1, m_deviceId).run());
  }
  // The clock resumes after the greatest timestamp this store ever issued or took in.
  auto last = m_db->prepare(
      "SELECT max(coalesce((SELECT max(hlc) FROM records), 0),"
      "           coalesce((SELECT max(hlc) FROM history), 0))");
  if (!last) return last.status();
  if (!last->step()) return last->status();
  m_clock->observe(sync::Hlc(static_cast<std::uint64_t>(last->columnInt(0))));
  return Status::ok();
}

Status TabletStore::changePassphrase(const fs::path& dir, std::string_view oldPassphrase,
                                     std::string_view newPassphrase) {
  OPCAT_RETURN_IF_ERROR(checkNewPassphrase(newPassphrase));
  return crypto::KeyFile::changePassphrase(DataFolder::keyFile(dir), oldPassphrase,
                                           newPassphrase);
}

Status TabletStore::wipe(const fs::path& dir) {
  // Key first: once it is gone, whatever is left of the rest is unreadable ciphertext.
  OPCAT_RETURN_IF_ERROR(crypto::KeyFile::destroy(DataFolder::keyFile(dir)));
  std::error_code ec;
  for (const char* suffix : {"", "-wal", "-shm", "-journal"}) {
    fs::remove(DataFolder::database(dir).string() + suffix, ec);
  }
  fs::remove_all(DataFolder::attachments(dir), ec);
  if (ec) {
    return Status::error(StatusCode::kIoError,
                         "keys destroyed, but removing attachments failed: " + ec.message());
  }
  return crypto::syncDirectory(dir);
}

Result<StoredRecord> TabletStore::openRow(const Statement& row) const {
  StoredRecord record;
  record.id = std::string(row.columnText(0));
  const auto kind = domain::recordKindFromInt(static_cast<int>(row.columnInt(1)));
  if (!kind) return Status::error(StatusCode::kCorrupt, "record " + record.id + " has no valid kind");
  record.kind = *kind;
  record.parentId = std::string(row.columnText(2));
  record.deleted = row.columnInt(3) != 0;
  record.pending = row.columnInt(4) != 0;
  auto plain = m_cipher->open(row.columnBlob(5), static_cast<int>(record.kind), record.id);
  if (!plain) {
    return Status::error(plain.status().code(),
                         std::string(domain::recordKindName(record.kind)) + " " + record.id +
                             ": " + plain.status().message());
  }
  auto state = RecordState::parse(*plain);
  if (!state) return state.status();
  record.state = std::move(state).value();
  return record;
}

Result<std::optional<StoredRecord>> TabletStore::read(domain::RecordKind kind,
                                                      std::string_view id) {
  return readInTransaction(kind, id);
}

Result<std::optional<StoredRecord>> TabletStore::readInTransaction(domain::RecordKind kind,
                                                                   std::string_view id) {
  auto lease = m_db->cached(kRecordById);
  if (!lease) return lease.status();
  storage::Statement& stmt = **lease;
  stmt.bind(1, id);
  if (!stmt.step()) {
    OPCAT_RETURN_IF_ERROR(stmt.status());
    return std::optional<StoredRecord>();
  }
  auto record = openRow(stmt);
  if (!record) return record.status();
  if (record->kind != kind) {
    return Status::error(StatusCode::kInvalidArgument,
                         "id " + std::string(id) + " belongs to a " +
                             std::string(domain::recordKindName(record->kind)) + ", not a " +
                             std::string(domain::recordKindName(kind)));
  }
  return std::optional<StoredRecord>(std::move(record).value());
}

Result<std::vector<StoredRecord>> TabletStore::queryRecords(std::string_view tail,
                                                            const Binder& bind) {
  auto stmt = m_db->prepare(std::string(kRecordColumns) + std::string(tail));
  if (!stmt) return stmt.status();
  if (bind) bind(*stmt);
  std::vector<StoredRecord> out;
  while (stmt->step()) {
    auto record = openRow(*stmt);
    if (!record) return record.status();
    out.push_back(std::move(record).value());
  }
  OPCAT_RETURN_IF_ERROR(stmt->status());
  return out;
}

Status TabletStore::write(const RecordWrite& edit) {
  return writeAll(std::span(&edit, 1));
}

Status TabletStore::writeAll(std::span<const RecordWrite> edits) {
  auto tx = Transaction::begin(*m_db);
  if (!tx) return tx.status();
  for (const RecordWrite& edit : edits) OPCAT_RETURN_IF_ERROR(writeInTransaction(edit));
  return tx->commit();
}

Status TabletStore::writeInTransaction(const RecordWrite& edit) {
  const std::string_view kindName = domain::recordKindName(edit.kind);
  if (!isUuid(edit.id)) {
    return Status::error(StatusCode::kInvalidArgument,
                         std::string(kindName) + " id '" + edit.id + "' is not a UUID");
  }
  if (edit.deleted && domain::isAppendOnly(edit.kind)) {
    return Status::error(StatusCode::kInvalidArgument,
                         std::string(kindName) + " records are append-only and cannot be deleted");
  }
  auto existing = readInTransaction(edit.kind, edit.id);
  if (!existing) return existing.status();
  if (*existing && domain::isAppendOnly(edit.kind)) {
    return Status::error(StatusCode::kAlreadyExists,
                         std::string(kindName) + " " + edit.id + " is append-only and exists");
  }
  if (edit.deleted && (!*existing || (*existing)->deleted)) {
    if (!*existing) {
      return Status::error(StatusCode::kNotFound,
                           std::string(kindName) + " " + edit.id + " does not exist");
    }
    return Status::ok();  // already a tombstone
  }

  RecordState state = *existing ? (*existing)->state : RecordState{};
  const bool restoring = *existing && (*existing)->deleted;
  std::vector<sync::FieldValue> fields;
  if (!edit.deleted) {
    auto diff = restoring ? codec::splitFields(edit.kind, edit.content)
                          : codec::diffFields(edit.kind, state.content, edit.content);
    if (!diff) return diff.status();
    fields = std::move(diff).value();
    // Nothing changed, nothing to sync; except that saving a record brought back by an edit
    // concurrent with its delete, unchanged, keeps it: the change names the deletes as seen.
    if (fields.empty() && !restoring && !state.merge.restoredAfterDelete()) return Status::ok();
  }
  auto before = fieldsOfStoredContent(edit.kind, state.content);
  if (!before) return before.status();

  // The change's sequence is chosen inside the write lock, so it is the next AUTOINCREMENT value.
  auto nextLease = m_db->cached(
      "SELECT coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'outbox'), 0) + 1");
  if (!nextLease) return nextLease.status();
  storage::Statement* next = &**nextLease;
  if (!next->step()) return next->status();
  const auto seq = static_cast<std::uint64_t>(next->columnInt(0));

  const sync::Hlc hlc = m_clock->now();
  for (auto& field : fields) field.hlc = hlc;
  sync::Change change{{m_deviceId, seq}, edit.kind,   edit.id, edit.parentId, std::move(fields),
                      hlc,               edit.deleted, edit.authorId, {}, {}};
  // A local edit replaces every version the person had in front of them, conflicts included:
  // editing a conflicted field resolves it. The same merge then applies it as any other change.
  sync::stampLocalChange(state.merge, change);
  sync::applyChange(state.merge, change);
  if (!edit.deleted) state.content = edit.content;

  HistoryEntry entry{edit.authorId, seq, hlc, edit.deleted, {}};
  for (const auto& field : change.fields) {
    entry.edits.push_back({field.number, (*before)[field.number], field.value});
  }
  OPCAT_RETURN_IF_ERROR(upsertRecord(edit.kind, edit.id, edit.parentId, hlc, state));

  auto outboxLease = m_db->cached(
      "INSERT INTO outbox(seq, record_id, kind, hlc, change) VALUES (?1, ?2, ?3, ?4, ?5)");
  if (!outboxLease) return outboxLease.status();
  storage::Statement* outbox = &**outboxLease;
  outbox->bind(1, static_cast<std::int64_t>(seq))
      .bind(2, edit.id)
      .bind(3, static_cast<std::int64_t>(edit.kind))
      .bind(4, static_cast<std::int64_t>(hlc.packed()))
      .bindBlob(5, m_cipher->seal(codec::encodeChange(change), kSealOutbox, edit.id));
  OPCAT_RETURN_IF_ERROR(outbox->run());

  auto historyLease = m_db->cached(
      "INSERT INTO history(record_id, seq, hlc, entry) VALUES (?1, ?2, ?3, ?4)");
  if (!historyLease) return historyLease.status();
  storage::Statement* history = &**historyLease;
  history->bind(1, edit.id)
      .bind(2, static_cast<std::int64_t>(seq))
      .bind(3, static_cast<std::int64_t>(hlc.packed()))
      .bindBlob(4, m_cipher->seal(entry.serialize(), kSealHistory, edit.id));
  OPCAT_RETURN_IF_ERROR(history->run());

  if (edit.sameTransaction) OPCAT_RETURN_IF_ERROR(edit.sameTransaction(*m_db));
  return Status::ok();
}

Status TabletStore::upsertRecord(domain::RecordKind kind, const std::string& id,
                                 const std::string& parentId, sync::Hlc hlc,
                                 const RecordState& state) {
  return upsertSealed(kind, id, parentId, hlc, state.merge.isDeleted(), holdsConflict(state),
                      m_cipher->seal(state.serialize(), static_cast<int>(kind), id));
}

Status TabletStore::upsertSealed(domain::RecordKind kind, const std::string& id,
                                 const std::string& parentId, sync::Hlc hlc, bool deleted,
                                 bool conflicted, std::string_view sealedState) {
  auto upsertLease = m_db->cached(
      "INSERT INTO records(id, kind, parent_id, hlc, deleted, conflicted, state) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) "
      "ON CONFLICT(id) DO UPDATE SET parent_id = excluded.parent_id, "
      "hlc = max(hlc, excluded.hlc), deleted = excluded.deleted, "
      "conflicted = excluded.conflicted, state = excluded.state");
  if (!upsertLease) return upsertLease.status();
  storage::Statement* upsert = &**upsertLease;
  return upsert->bind(1, id)
      .bind(2, static_cast<std::int64_t>(kind))
      .bind(3, parentId)
      .bind(4, static_cast<std::int64_t>(hlc.packed()))
      .bind(5, std::int64_t{deleted ? 1 : 0})
      .bind(6, std::int64_t{conflicted ? 1 : 0})
      .bindBlob(7, sealedState)
      .run();
}

Result<PullApplyReport> TabletStore::applyPulled(
    std::span<const sync::Change> changes, std::uint64_t cursor,
    std::span<const std::optional<PreparedPull>> prepared,
    const std::function<Status(Database&)>& sameTransaction) {
  if (!prepared.empty() && prepared.size() != changes.size()) {
    return Status::error(StatusCode::kInvalidArgument,
                         "prepared pull does not match its page of changes");
  }
  // What a page changes is the server's, fetched again if a power loss rolls it back with its
  // cursor; local edits, which only this tablet holds, are the commits that wait for the disk.
  auto tx = Transaction::begin(*m_db, Durability::kRefetchable);
  if (!tx) return tx.status();
  PullApplyReport report;
  for (std::size_t i = 0; i < changes.size(); ++i) {
    const sync::Change& change = changes[i];
    m_clock->observe(change.hlc);  // later local edits order after what was seen
    if (change.id.deviceId == m_deviceId) {
      ++report.ownSkipped;
      continue;
    }
    const PreparedPull* ahead =
        prepared.empty() || !prepared[i] ? nullptr : &*prepared[i];
    OPCAT_RETURN_IF_ERROR(applyPulledChange(change, ahead, report));
  }
  auto put = m_db->cached(
      "INSERT INTO meta(key, value) VALUES ('pull_cursor', ?1) "
      "ON CONFLICT(key) DO UPDATE SET value = excluded.value");
  if (!put) return put.status();
  OPCAT_RETURN_IF_ERROR((*put)->bindBlob(1, std::to_string(cursor)).run());
  if (sameTransaction) OPCAT_RETURN_IF_ERROR(sameTransaction(*m_db));
  OPCAT_RETURN_IF_ERROR(tx->commit());
  return report;
}

Status TabletStore::applyPulledChange(const sync::Change& change, const PreparedPull* prepared,
                                      PullApplyReport& report) {
  auto existing = readInTransaction(change.kind, change.recordId);
  if (!existing) return existing.status();
  // A record new here: its outcome was computed and sealed ahead (see preparePulled).
  const PreparedPull* outcome = *existing ? nullptr : prepared;
  PreparedPull mergedHere;
  if (outcome == nullptr) {
    RecordState state = *existing ? std::move((*existing)->state) : RecordState{};
    auto merged = mergePulled(change, state);
    if (!merged) return merged.status();
    mergedHere = preparedOutcome(state, *merged);
    outcome = &mergedHere;
  }
  if (!outcome->applied) return Status::ok();
  ++report.applied;
  if (outcome->conflicted) ++report.conflicted;
  OPCAT_RETURN_IF_ERROR(upsertSealed(change.kind, change.recordId, change.parentId, change.hlc,
                                     outcome->deleted, outcome->conflicted,
                                     m_cipher->seal(outcome->state, static_cast<int>(change.kind),
                                                    change.recordId)));
  auto historyLease = m_db->cached(
      "INSERT INTO history(record_id, seq, hlc, entry) VALUES (?1, NULL, ?2, ?3)");
  if (!historyLease) return historyLease.status();
  storage::Statement* history = &**historyLease;
  return history->bind(1, change.recordId)
      .bind(2, static_cast<std::int64_t>(change.hlc.packed()))
      .bindBlob(3, m_cipher->seal(outcome->history, kSealHistory, change.recordId))
      .run();
}

Result<std::uint64_t> TabletStore::pullCursor() {
  auto get = m_db->prepare("SELECT value FROM meta WHERE key = 'pull_cursor'");
  if (!get) return get.status();
  if (!get->step()) {
    OPCAT_RETURN_IF_ERROR(get->status());
    return std::uint64_t{0};
  }
  return static_cast<std::uint64_t>(std::stoull(std::string(get->columnBlob(0))));
}

Result<std::vector<StoredRecord>> TabletStore::conflictedRecords() {
  return queryRecords("WHERE conflicted = 1 ORDER BY hlc", nullptr);
}

Status TabletStore::recordRejection(std::uint64_t sequence, std::string_view recordId,
                                    int problemCode, std::string_view reason) {
  auto tx = Transaction::begin(*m_db);
  if (!tx) return tx.status();
  auto del = m_db->prepare("DELETE FROM outbox WHERE seq = ?1");
  if (!del) return del.status();
  OPCAT_RETURN_IF_ERROR(del->bind(1, static_cast<std::int64_t>(sequence)).run());
  auto keep = m_db->prepare(
      "INSERT OR REPLACE INTO sync_rejections(seq, record_id, problem_code, reason) "
      "VALUES (?1, ?2, ?3, ?4)");
  if (!keep) return keep.status();
  OPCAT_RETURN_IF_ERROR(keep->bind(1, static_cast<std::int64_t>(sequence))
                            .bind(2, recordId)
                            .bind(3, std::int64_t{problemCode})
                            .bindBlob(4, m_cipher->seal(reason, kSealHistory,
                                                        "rejection:" + std::to_string(sequence)))
                            .run());
  return tx->commit();
}

Status TabletStore::putSecret(std::string_view name, std::string_view value) {
  auto stmt = m_db->prepare(
      "INSERT INTO meta(key, value) VALUES (?1, ?2) "
      "ON CONFLICT(key) DO UPDATE SET value = excluded.value");
  if (!stmt) return stmt.status();
  const std::string key = "secret:" + std::string(name);
  return stmt->bind(1, key).bindBlob(2, m_cipher->seal(value, kSealSecret, key)).run();
}

Result<std::optional<std::string>> TabletStore::secret(std::string_view name) {
  auto stmt = m_db->prepare("SELECT value FROM meta WHERE key = ?1");
  if (!stmt) return stmt.status();
  const std::string key = "secret:" + std::string(name);
  stmt->bind(1, key);
  if (!stmt->step()) {
    OPCAT_RETURN_IF_ERROR(stmt->status());
    return std::optional<std::string>();
  }
  auto plain = m_cipher->open(stmt->columnBlob(0), kSealSecret, key);
  if (!plain) return plain.status();
  return std::optional<std::string>(std::move(plain).value());
}

}  // namespace opcat::storage
