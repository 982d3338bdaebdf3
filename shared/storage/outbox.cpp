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

Result<std::string> Outbox::open(std::uint64_t seq, std::string_view recordId,
                                  std::string_view sealed) const {
  auto plain = m_store.cipher().open(sealed, kSealOutbox, recordId);
  if (!plain) {
    return Status::error(plain.status().code(), "outbox entry " + std::to_string(seq) + ": " +
                                                    plain.status().message());
  }
  // The seal binds the record id; the change's own id is read from its bytes (Change.id = 1:
  // device_id = 1, sequence = 2), so an entry copied into another row of the record is caught.
  const auto id = codec::readLengthDelimitedField(*plain, 1);
  if (!id || codec::readLengthDelimitedField(*id, 1) != m_store.deviceId() ||
      codec::readVarintField(*id, 2) != seq ||
      codec::readLengthDelimitedField(*plain, 3) != recordId) {
    return Status::error(StatusCode::kTampered,
                         "outbox entry " + std::to_string(seq) + " was moved from another row");
  }
  return plain;
}

Result<std::vector<OutboxEntry>> Outbox::peek(std::size_t maxChanges, std::size_t maxBytes) {
  auto lease = m_store.database().cached(
      "SELECT seq, record_id, change FROM outbox ORDER BY seq LIMIT ?1");
  if (!lease) return lease.status();
  Statement* stmt = &**lease;
  stmt->bind(1, static_cast<std::int64_t>(std::min<std::size_t>(maxChanges, INT64_MAX)));
  std::vector<OutboxEntry> entries;
  std::size_t bytes = 0;
  while (stmt->step()) {
    const auto seq = static_cast<std::uint64_t>(stmt->columnInt(0));
    auto plain = open(seq, stmt->columnText(1), stmt->columnBlob(2));
    if (!plain) return plain.status();
    if (!entries.empty() && bytes + plain->size() > maxBytes) break;
    auto change = codec::decodeChange(*plain);
    if (!change) return change.status();
    bytes += plain->size();
    entries.push_back({seq, std::move(change).value(), plain->size()});
  }
  OPCAT_RETURN_IF_ERROR(stmt->status());
  return entries;
}

Result<std::vector<OutboxSlot>> Outbox::slots(std::size_t maxChanges) {
  // length() of a blob reads the row's header only, not the blob.
  auto lease = m_store.database().cached(
      "SELECT seq, record_id, length(change) FROM outbox ORDER BY seq LIMIT ?1");
  if (!lease) return lease.status();
  Statement* stmt = &**lease;
  stmt->bind(1, static_cast<std::int64_t>(std::min<std::size_t>(maxChanges, INT64_MAX)));
  std::vector<OutboxSlot> slots;
  while (stmt->step()) {
    const auto sealedBytes = static_cast<std::size_t>(stmt->columnInt(2));
    slots.push_back({static_cast<std::uint64_t>(stmt->columnInt(0)),
                     std::string(stmt->columnText(1)),
                     sealedBytes > crypto::RecordCipher::kOverhead
                         ? sealedBytes - crypto::RecordCipher::kOverhead
                         : 0});
  }
  OPCAT_RETURN_IF_ERROR(stmt->status());
  return slots;
}

Result<std::vector<std::string>> Outbox::readEncoded(std::span<const std::uint64_t> sequences) {
  std::vector<std::string> encoded;
  if (sequences.empty()) return encoded;
  auto lease = m_store.database().cached(
      "SELECT seq, record_id, change FROM outbox WHERE seq BETWEEN ?1 AND ?2 ORDER BY seq");
  if (!lease) return lease.status();
  Statement* stmt = &**lease;
  stmt->bind(1, static_cast<std::int64_t>(sequences.front()))
      .bind(2, static_cast<std::int64_t>(sequences.back()));
  encoded.reserve(sequences.size());
  std::size_t next = 0;
  while (next < sequences.size() && stmt->step()) {
    const auto seq = static_cast<std::uint64_t>(stmt->columnInt(0));
    if (seq < sequences[next]) continue;  // not one of these (sequences need not be dense)
    if (seq > sequences[next]) break;     // sequences[next] is gone
    auto plain = open(seq, stmt->columnText(1), stmt->columnBlob(2));
    if (!plain) return plain.status();
    encoded.push_back(std::move(plain).value());
    ++next;
  }
  OPCAT_RETURN_IF_ERROR(stmt->status());
  if (next < sequences.size()) {
    return Status::error(StatusCode::kNotFound, "outbox entry " + std::to_string(sequences[next]) +
                                                    " is no longer queued");
  }
  return encoded;
}

Status Outbox::acknowledge(std::span<const std::uint64_t> sequences) {
  if (sequences.empty()) return Status::ok();
  Database& db = m_store.database();
  // Entries that come back after a power loss are pushed again, and applied once by the server.
  auto tx = Transaction::begin(db, Durability::kRefetchable);
  if (!tx) return tx.status();
  OPCAT_RETURN_IF_ERROR(acknowledgeWithin(db, sequences));
  return tx->commit();
}

Status Outbox::acknowledgeWithin(Database& db, std::span<const std::uint64_t> sequences) {
  // Only the outbox rows go: whether a record is pending is derived from them (schema v5), so
  // acknowledging rewrites no record row.
  auto del = db.cached("DELETE FROM outbox WHERE seq = ?1");
  if (!del) return del.status();
  for (const std::uint64_t seq : sequences) {
    (*del)->reset();
    OPCAT_RETURN_IF_ERROR((*del)->bind(1, static_cast<std::int64_t>(seq)).run());
  }
  return Status::ok();
}

}  // namespace opcat::storage
