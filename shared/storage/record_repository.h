// Typed access to one record kind in the tablet store. Every save is validated first, then goes
// through TabletStore::write (record + outbox + history in one transaction). T is a domain
// record type with `kKind`, `id` and `parentId()`, a `domain::validate(const T&)` overload and
// codec::encode / codec::decode<T>.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "domain/validation.h"
#include "storage/tablet_store.h"
#include "sync/codec/record_codec.h"

namespace opcat::storage {

template <typename T>
class RecordRepository {
 public:
  explicit RecordRepository(TabletStore& store) : m_store(store) {}

  // Validates and saves `record` (created or edited). kInvalidArgument names the record, field
  // and rule that failed; nothing is written then.
  Status save(const T& record, std::string_view authorId) {
    OPCAT_RETURN_IF_ERROR(domain::validationStatus(domain::validate(record)));
    return m_store.write(RecordWrite{T::kKind, record.id, std::string(record.parentId()),
                                     codec::encode(record), std::string(authorId), false, {}});
  }

  // Validates every record, then saves them all in one transaction: all or none.
  Status saveAll(std::span<const T> records, std::string_view authorId) {
    std::vector<RecordWrite> writes;
    writes.reserve(records.size());
    for (const T& record : records) {
      OPCAT_RETURN_IF_ERROR(domain::validationStatus(domain::validate(record)));
      writes.push_back(RecordWrite{T::kKind, record.id, std::string(record.parentId()),
                                   codec::encode(record), std::string(authorId), false, {}});
    }
    return m_store.writeAll(writes);
  }

  // Marks the record deleted (a tombstone that syncs). kNotFound if it never existed.
  Status remove(std::string_view id, std::string_view authorId) {
    return m_store.write(
        RecordWrite{T::kKind, std::string(id), parentOf(id), {}, std::string(authorId), true, {}});
  }

  // The live record, or nullopt if absent or deleted. kTampered if it fails to open.
  Result<std::optional<T>> find(std::string_view id) {
    auto stored = m_store.read(T::kKind, id);
    if (!stored) return stored.status();
    if (!*stored || (*stored)->deleted) return std::optional<T>();
    auto record = codec::decode<T>((*stored)->state.content);
    if (!record) return record.status();
    return std::optional<T>(std::move(record).value());
  }

  // Live records of this kind under `parentId`, oldest first.
  Result<std::vector<T>> listByParent(std::string_view parentId) {
    return query("WHERE kind = ?1 AND parent_id = ?2 AND deleted = 0 ORDER BY hlc",
                 [&](Statement& s) { s.bind(2, parentId); });
  }

 protected:
  // Records of this kind from `SELECT … FROM records <tail>`; ?1 is bound to the kind.
  Result<std::vector<T>> query(std::string_view tail, const Binder& bind) {
    auto rows = m_store.queryRecords(tail, [&](Statement& s) {
      s.bind(1, static_cast<std::int64_t>(T::kKind));
      if (bind) bind(s);
    });
    if (!rows) return rows.status();
    std::vector<T> out;
    out.reserve(rows->size());
    for (const StoredRecord& row : *rows) {
      auto record = codec::decode<T>(row.state.content);
      if (!record) return record.status();
      out.push_back(std::move(record).value());
    }
    return out;
  }

  TabletStore& store() { return m_store; }

 private:
  std::string parentOf(std::string_view id) {
    auto stored = m_store.read(T::kKind, id);
    return stored && *stored ? (*stored)->parentId : std::string();
  }

  TabletStore& m_store;
};

}  // namespace opcat::storage
