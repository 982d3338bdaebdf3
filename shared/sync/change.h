// A change to one record: the unit the outbox holds, the server applies and pull returns.
// Mirrors opcat.v1.Change; sync/codec maps between the two.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "domain/record_kind.h"
#include "sync/hlc.h"

namespace opcat::sync {

// (origin device, per-device sequence): identifies a change forever; never reused.
struct ChangeId {
  std::string deviceId;
  std::uint64_t sequence = 0;
  friend bool operator==(const ChangeId&, const ChangeId&) = default;
};

// One field's new value: the protobuf encoding of that single field of the record's message
// (empty when the field was cleared), with the clock of the edit.
struct FieldValue {
  std::uint32_t number = 0;
  std::string value;
  Hlc hlc;
  friend bool operator==(const FieldValue&, const FieldValue&) = default;
};

struct Change {
  ChangeId id;
  domain::RecordKind kind = domain::RecordKind::kFinding;
  std::string recordId;
  std::string parentId;
  std::vector<FieldValue> fields;
  Hlc hlc;
  bool deleted = false;
  std::string authorId;
  friend bool operator==(const Change&, const Change&) = default;
};

}  // namespace opcat::sync
