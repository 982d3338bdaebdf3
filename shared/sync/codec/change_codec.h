// Encodes sync::Change as opcat.v1.Change and decodes it back, validating everything a peer sends
// that does not depend on the record's type (field values are checked when applied).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "core/status.h"
#include "sync/change.h"

namespace opcat::codec {

inline constexpr std::size_t kMaxFieldsPerChange = 256;
inline constexpr std::size_t kMaxFieldValueBytes = std::size_t{1} << 20;  // 1 MiB
// A field rarely has more than two or three open versions; a delete sees all of a record's, and
// an edit all of its deletes (the same bound).
inline constexpr std::size_t kMaxVersionsPerField = 64;
inline constexpr std::size_t kMaxDeletedVersions = 4096;

// The deterministic opcat.v1.Change encoding of `change`. Does not validate: encode only changes
// this replica made or decoded.
std::string encodeChange(const sync::Change& change);

// The change encoded in `encoded`; unknown fields are dropped.
// Errors: kCorrupt when the bytes do not parse as opcat.v1.Change. kInvalidArgument, with a
// message naming the field, when: kind is out of range; record_id is not a UUID; parent_id is
// neither empty nor a UUID; id.device_id is not a UUID; id.sequence is 0; a field number is 0
// or repeated; there are more than kMaxFieldsPerChange fields; a field value is over
// kMaxFieldValueBytes; a field's hlc is greater than the change's hlc.
Result<sync::Change> decodeChange(std::string_view encoded);

}  // namespace opcat::codec
