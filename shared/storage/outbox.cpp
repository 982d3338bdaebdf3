#include "storage/outbox.h"

#include <string>

#include "storage/tablet_store.h"
#include "sync/codec/change_codec.h"

namespace opcat::storage {

Result<std::int64_t> Outbox::pendingCount() {
  auto stmt = m_store.database().prepare("SELECT count(*) FROM outbox");
  if (!stmt) return stmt.status();
  if (!stmt->step()) return stmt->status();
  return stmt->columnInt(0);
}

Result<std::vector<OutboxEntry>> Outbox::peek(std::size_t maxChanges, std::size_t maxBytes) {
  auto stmt = m_store.database().prepare(
      "SELECT seq, record_id, change FROM outbox ORDER BY seq LIMIT ?1");
  if (!stmt) return stmt.status();
  stmt->bind(1, static_cast<std::int64_t>(maxChanges));
  std::vector<OutboxEntry> entries;
  std::size_t bytes = 0;
  while (stmt->step()) {
    const auto seq = static_cast<std::uint64_t>(stmt->columnInt(0));
    const std::string recordId(stmt->columnText(1));
    auto plain = m_store.cipher().open(stmt->columnBlob(2), kSealOutbox, recordId);
    if (!plain) {
      return Status::error(plain.status().code(), "outbox entry " + std::to_string(seq) +
                                                      ": " + plain.status().message());
    }
    if (!entries.empty() && bytes + plain->size() > maxBytes) break;
    auto change = codec::decodeChange(*plain);
    if (!change) return change.status();
    if (change->id.sequence != seq || change->recordId != recordId) {
      return Status::error(StatusCode::kTampered,
                           "outbox entry " + std::to_string(seq) + " was moved from another row");
    }
    bytes += plain->size();
    entries.push_back({seq, std::move(change).value()});
  }
  OPCAT_RETURN_IF_ERROR(stmt->status());
  return entries;
}

Status Outbox::acknowledge(std::span<const std::uint64_t> sequences) {
  Database& db = m_store.database();
  auto tx = Transaction::begin(db);
  if (!tx) return tx.status();
  auto del = db.prepare("DELETE FROM outbox WHERE seq = ?1 RETURNING record_id");
  auto clear = db.prepare(
      "UPDATE records SET pending = 0 WHERE id = ?1 "
      "AND NOT EXISTS (SELECT 1 FROM outbox WHERE record_id = ?1)");
  if (!del) return del.status();
  if (!clear) return clear.status();
  for (const std::uint64_t seq : sequences) {
    del->reset();
    del->bind(1, static_cast<std::int64_t>(seq));
    if (!del->step()) {
      OPCAT_RETURN_IF_ERROR(del->status());
      continue;  // already acknowledged
    }
    const std::string recordId(del->columnText(0));
    OPCAT_RETURN_IF_ERROR(del->run());
    clear->reset();
    clear->bind(1, recordId);
    OPCAT_RETURN_IF_ERROR(clear->run());
  }
  return tx->commit();
}

}  // namespace opcat::storage
