#include "storage/history.h"

#include "core/byte_buffer.h"
#include "storage/tablet_store.h"

namespace opcat::storage {

std::string HistoryEntry::serialize() const {
  ByteWriter out;
  out.putU8(1);  // format version
  out.putBytes(authorId);
  out.putU64(sequence);
  out.putU64(hlc.packed());
  out.putU8(deleted ? 1 : 0);
  out.putU32(static_cast<std::uint32_t>(edits.size()));
  for (const FieldEdit& e : edits) {
    out.putU32(e.number);
    out.putBytes(e.oldValue);
    out.putBytes(e.newValue);
  }
  return out.take();
}

Result<HistoryEntry> HistoryEntry::parse(std::string_view bytes) {
  const Status corrupt = Status::error(StatusCode::kCorrupt, "history entry is malformed");
  ByteReader in(bytes);
  const auto version = in.getU8();
  const auto author = in.getBytes();
  const auto sequence = in.getU64();
  const auto hlc = in.getU64();
  const auto deleted = in.getU8();
  const auto count = in.getU32();
  if (!version || *version != 1 || !author || !sequence || !hlc || !deleted || !count) {
    return corrupt;
  }
  HistoryEntry entry{std::string(*author), *sequence, sync::Hlc(*hlc), *deleted != 0, {}};
  for (std::uint32_t i = 0; i < *count; ++i) {
    const auto number = in.getU32();
    const auto oldValue = in.getBytes();
    const auto newValue = in.getBytes();
    if (!number || !oldValue || !newValue) return corrupt;
    entry.edits.push_back({*number, std::string(*oldValue), std::string(*newValue)});
  }
  if (!in.atEnd()) return corrupt;
  return entry;
}

Result<std::vector<HistoryEntry>> History::forRecord(std::string_view recordId) {
  auto stmt = m_store.database().prepare(
      "SELECT entry FROM history WHERE record_id = ?1 ORDER BY id");
  if (!stmt) return stmt.status();
  stmt->bind(1, recordId);
  std::vector<HistoryEntry> entries;
  while (stmt->step()) {
    auto plain = m_store.cipher().open(stmt->columnBlob(0), kSealHistory, recordId);
    if (!plain) {
      return Status::error(plain.status().code(),
                           "history of record " + std::string(recordId) + ": " +
                               plain.status().message());
    }
    auto entry = HistoryEntry::parse(*plain);
    if (!entry) return entry.status();
    entries.push_back(std::move(entry).value());
  }
  OPCAT_RETURN_IF_ERROR(stmt->status());
  return entries;
}

}  // namespace opcat::storage
