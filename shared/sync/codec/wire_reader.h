// Reads one top-level scalar field straight from protobuf wire bytes without parsing the whole
// message, e.g. for the tablet's SQL functions that index or filter records by a field.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace opcat::codec {

// The raw varint of top-level field `number` (bool, enum, int32/int64, uint32/uint64; a negative
// int32/int64 comes back as its two's-complement uint64, so cast it). nullopt when the field is
// absent, or when `message` is malformed anywhere (bad varint, truncated length, group or
// reserved wire type, field number 0): a SQL caller then sees NULL. When the field occurs several
// times the last occurrence wins, as in protobuf; occurrences with another wire type are skipped.
// Never reads outside `message`.
std::optional<std::uint64_t> readVarintField(std::string_view message, std::uint32_t number);

// The payload of the last length-delimited occurrence of top-level field `number` (string, bytes,
// or an embedded message's bytes), as a view into `message`; nullopt as for readVarintField.
// Last-wins is protobuf's rule for string and bytes; embedded messages that occur several times
// are merged by protobuf instead, which this does not do.
std::optional<std::string_view> readLengthDelimitedField(std::string_view message,
                                                         std::uint32_t number);

}  // namespace opcat::codec
