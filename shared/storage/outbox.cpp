#include "storage/outbox.h"

#include <algorithm>
#include <cstdint>
#include <string>

#include "storage/tablet_store.h"
#include "sync/codec/change_codec.h"
#include "sync/codec/wire_reader.h"

namespace opcat::storage {

Result<std::int64_t> Outbox::pendingCount() {
  auto stmt = m_store.database().prepare("SELECT count(*) FROM outbox");
  if (!stmt) return stmt.status();
  if (!stmt->step()) return stmt->status();
  return stmt->columnInt(0);
}

Result<std::vector<EncodedOutboxEntry>> Outbox::peekEncoded(std::size_t maxChanges,
                                                             std::size_t maxBytes) {
  auto lease = m_store.database().cached(
      "SELECT seq, record_id, change FROM outbox ORDER BY seq LIMIT ?1");
  if (!lease) return lease.status();
  Statement* stmt = &**lease;
  stmt->bind(1, static_cast<std::int64_t>(std::min<std::size_t>(maxChanges, INT64_MAX)));
  std::vector<EncodedOutboxEntry> entries;
  std::size_t bytes = 0;
  while (stmt->step()) {
    const auto seq = static_cast<std::uint64_t>(stmt->columnInt(0));
    std::string recordId(stmt->columnText(1));
    auto plain = m_store.cipher().open(stmt->columnBlob(2), kSealOutbox, recordId);
    if (!plain) {
      return Status::error(plain.status().code(), "outbox entry " + std::to_string(seq) +
                                                      ": " + plain.status().message());
    }
    if (!entries.empty() && bytes + plain->size() > maxBytes) break;
    // The seal binds the record id; the change's own id is read from its bytes (Change.id = 1:
    // device_id = 1, sequence = 2), so an entry copied into another row of the record is caught.
    const auto id = codec::readLengthDelimitedField(*plain, 1);
    if (!id || codec::readLengthDelimitedField(*id, 1) != m_store.deviceId() ||
        codec::readVarintField(*id, 2) != seq ||
        codec::readLengthDelimitedField(*plain, 3) != recordId) {
      return Status::error(StatusCode::kTampered,
                           "outbox entry " + std::to_string(seq) + " was moved from another row");
    }
    bytes += plain->size();
    entries.push_back({seq, std::move(recordId), std::move(plain).value()});
  }
  OPCAT_RETURN_IF_ERROR(stmt->status());
  return entries;
}

Result<std::vector<OutboxEntry>> Outbox::peek(std::size_t maxChanges, std::size_t maxBytes) {
  auto encoded = peekEncoded(maxChanges, maxBytes);
  if (!encoded) return encoded.status();
  std::vector<OutboxEntry> entries;
  entries.reserve(encoded->size());
  for (EncodedOutboxEntry& entry : *encoded) {
    auto change = codec::decodeChange(entry.encoded);
    if (!change) return change.status();
    entries.push_back({entry.sequence, std::move(change).value(), entry.encoded.size()});
  }
  return entries;
}

Status Outbox::acknowledge(std::span<const std::uint64_t> sequences) {
  Database& db = m_store.database();
  auto tx = Transaction::begin(db);
  if (!tx) return tx.status();
  // Only the outbox rows go: whether a record is pending is derived from them (schema v5), so
  // acknowledging rewrites no record row.
  auto del = db.cached("DELETE FROM outbox WHERE seq = ?1");
  if (!del) return del.status();
  for (const std::uint64_t seq : sequences) {
    (*del)->reset();
    OPCAT_RETURN_IF_ERROR((*del)->bind(1, static_cast<std::int64_t>(seq)).run());
  }
  return tx->commit();
}

}  // namespace opcat::storage
