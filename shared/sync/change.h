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

// One value of one field, identified by the clock of its edit and the device that made it.
// Ordered by clock, then device id: the deterministic rule that picks the current value.
struct FieldVersion {
  Hlc hlc;
  std::string deviceId;
  friend bool operator==(const FieldVersion&, const FieldVersion&) = default;
  friend auto operator<=>(const FieldVersion&, const FieldVersion&) = default;
};

// One field's new value: the protobuf encoding of that single field of the record's message
// (empty when the field was cleared), with the clock of the edit and the versions of the field
// the editor had in front of them, which this value replaces.
struct FieldValue {
  std::uint32_t number = 0;
  std::string value;
  Hlc hlc;
  std::vector<FieldVersion> supersedes;
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
  std::vector<FieldVersion> deletedVersions;  // for a delete: every field version it had seen
  std::vector<FieldVersion> seenDeletes;      // for an edit: the record's deletes it had seen
  friend bool operator==(const Change&, const Change&) = default;
};

}  // namespace opcat::sync
