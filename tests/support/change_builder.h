// Builds sync::Changes from domain records the way a tablet would, for tests and benchmarks
// that talk to the server without a tablet store.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>

#include "sync/change.h"
#include "sync/codec/record_codec.h"
#include "sync/codec/record_fields.h"

namespace opcat::testing {

// A device's change source: its id, its sequence counter and a clock.
class ChangeBuilder {
 public:
  explicit ChangeBuilder(std::string deviceId, std::int64_t startMs = 1'764'000'000'000)
      : m_deviceId(std::move(deviceId)), m_wallMs(startMs) {}

  const std::string& deviceId() const { return m_deviceId; }
  std::uint64_t lastSequence() const { return m_seq; }

  // A change creating `record` (every set field), or editing it from `before` (the changed
  // fields, superseding `supersedes` when given).
  template <typename T>
  sync::Change create(const T& record, const std::string& authorId = "monitor") {
    auto fields = codec::splitFields(T::kKind, codec::encode(record));
    if (!fields) throw std::invalid_argument("cannot split record: " + fields.status().toString());
    return fromFields(T::kKind, record.id, std::string(record.parentId()),
                      std::move(fields).value(), authorId);
  }
  template <typename T>
  sync::Change edit(const T& before, const T& after, std::vector<sync::FieldVersion> supersedes,
                    const std::string& authorId = "monitor") {
    auto fields = codec::diffFields(T::kKind, codec::encode(before), codec::encode(after));
    if (!fields) throw std::invalid_argument("cannot diff records: " + fields.status().toString());
    for (auto& f : *fields) f.supersedes = supersedes;
    return fromFields(T::kKind, after.id, std::string(after.parentId()),
                      std::move(fields).value(), authorId);
  }

  sync::Change fromFields(domain::RecordKind kind, const std::string& id,
                          const std::string& parentId, std::vector<sync::FieldValue> fields,
                          const std::string& authorId) {
    sync::Change c;
    c.id = {m_deviceId, ++m_seq};
    c.kind = kind;
    c.recordId = id;
    c.parentId = parentId;
    c.hlc = sync::Hlc::fromParts(++m_wallMs, 0);
    for (auto& f : fields) {
      f.hlc = c.hlc;
      c.fields.push_back(std::move(f));
    }
    c.authorId = authorId;
    return c;
  }

 private:
  std::string m_deviceId;
  std::uint64_t m_seq = 0;
  std::int64_t m_wallMs;
};

}  // namespace opcat::testing
