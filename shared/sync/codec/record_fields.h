// The generic field layer of sync: splits a record's content (the serialized opcat.v1 message of
// its kind) into per-field values, diffs two versions, and applies field values, all through
// protobuf reflection so that merging needs no per-type code. Protobuf stays behind this header.
//
// A field value is the wire encoding of one top-level field of the record message (tag and
// payload; for a repeated field all its elements), exactly what serializing a message with only
// that field set produces; empty means the field is cleared (default / absent).
//
// Each member of a oneof is a field of its own. Setting one member clears the others, so a diff
// that switches members also carries the old member as cleared; see oneofSiblings() for merges.
//
// Unknown fields in any parsed input (records and values) are dropped, and every output is
// serialized deterministically, so equal content always gives equal bytes.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/status.h"
#include "domain/record_kind.h"
#include "sync/change.h"

namespace opcat::codec {

// One value per top-level field that is set in `encoded` (non-default scalar, non-empty repeated,
// present message, the set member of a oneof), in ascending field number; hlc left zero.
// Errors: kCorrupt when `encoded` does not parse as the kind's message; kInvalidArgument for an
// out-of-range kind.
Result<std::vector<sync::FieldValue>> splitFields(domain::RecordKind kind,
                                                  std::string_view encoded);

// The fields whose encoding differs between `before` and `after`, in ascending field number; a
// field set before and not after gives an empty value (cleared). An empty `before` is a new
// record: the result is splitFields(after). hlc left zero.
// Errors: kCorrupt when either does not parse; kInvalidArgument for an out-of-range kind.
Result<std::vector<sync::FieldValue>> diffFields(domain::RecordKind kind, std::string_view before,
                                                 std::string_view after);

// `base` (empty for a new record) with each field replaced by its value, or cleared when the value
// is empty; deterministically serialized. Fields are applied in ascending hlc order, ties in the
// order given, so a merge that hands over the current value of every field gets the same record
// whatever order it lists them in.
// Errors: kCorrupt when `base` does not parse; kInvalidArgument, naming record kind and field,
// when a value names a field number the message does not have, does not parse, or carries
// anything besides its own field (another field, a wrong wire type, an unknown field), so a
// hostile peer cannot smuggle other fields in. On error nothing is returned.
Result<std::string> applyFields(domain::RecordKind kind, std::string_view base,
                                std::span<const sync::FieldValue> fields);

// applyFields, with `validation` set to validateEncodedRecord's verdict on the result, judged
// from the record before it is serialized, so it is not parsed again. Left as it was on error.
Result<std::string> applyFieldsValidated(domain::RecordKind kind, std::string_view base,
                                         std::span<const sync::FieldValue> fields,
                                         Status& validation);

// The bytes of each top-level field of `encoded` content, read from the wire without parsing:
// what a stored RecordMergeState may leave out of its heads (sync::HeldValues). Ascending by
// number; a number whose entries are not contiguous is left out, and so is everything when the
// bytes do not scan. Content written by applyFields is canonical, so for it these are exactly
// the fields' values as splitFields gives them.
std::vector<std::pair<std::uint32_t, std::string_view>> heldFieldValues(std::string_view encoded);

// The other members of the oneof that field `number` belongs to, ascending; empty when it is in
// no oneof or the kind has no such field. Concurrent edits that set different members of one oneof
// do not commute, so the merge must order them by hlc as a group.
std::vector<std::uint32_t> oneofSiblings(domain::RecordKind kind, std::uint32_t number);

}  // namespace opcat::codec
