// Typed access to records for the administration commands: load a live record of a given type,
// and write one as the office (through writeAsOffice, so it is merged, validated and logged for
// the tablets like any change), telling whether it was created, updated or already so.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "admin/admin_context.h"
#include "core/status.h"
#include "db/server_store.h"
#include "domain/record_kind.h"
#include "sync/codec/record_codec.h"

namespace opcat::server::admin {

enum class WriteOutcome { kCreated, kUpdated, kUnchanged };

// Tallies of a batch of writes, for the summary a command prints.
struct WriteCounts {
  int created = 0;
  int updated = 0;
  int unchanged = 0;

  void add(WriteOutcome outcome);
  int total() const { return created + updated + unchanged; }
  // "3 created, 1 updated, 16 unchanged".
  std::string text() const;
};

// Writes `content` as the record `id` of `kind`. A record the validation refuses comes back as
// kInvalidArgument naming the record, field and rule.
Result<WriteOutcome> writeOfficeRecord(db::StoreSession& session, domain::RecordKind kind,
                                       const std::string& id, std::string_view parentId,
                                       std::string content, std::int64_t nowMs);

template <class T>
Result<WriteOutcome> writeOfficeRecord(db::StoreSession& session, const T& record,
                                       std::int64_t nowMs) {
  return writeOfficeRecord(session, T::kKind, record.id, record.parentId(), codec::encode(record),
                           nowMs);
}

// The record `id` when it exists, is of type T and is not deleted; nullopt otherwise.
template <class T>
Result<std::optional<T>> loadLiveRecord(db::StoreSession& session, std::string_view id) {
  auto stored = session.loadRecord(id);
  if (!stored) return stored.status();
  if (!*stored || (*stored)->kind != T::kKind || (*stored)->deleted) {
    return std::optional<T>();
  }
  auto decoded = codec::decode<T>((*stored)->content);
  if (!decoded) return decoded.status();
  return std::optional<T>(std::move(decoded).value());
}

}  // namespace opcat::server::admin
