// The input format of fuzz_record_fields, shared with the corpus generator: byte 0 picks the
// record kind (taken as is, so out-of-range kinds are tried too), then length-prefixed parts:
// the record before, the record after, and any number of field values.
//
//   kind:u8  len:u16le before  len:u16le after  { number:u8 hlc:u8 len:u16le value }*
//
// A field number byte of 0 stands for 2^31 (past INT_MAX), 255 for 2^32 - 1; missing bytes
// read as empty, so every input decodes.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "domain/record_kind.h"
#include "sync/change.h"

namespace opcat::fuzz {

struct RecordFieldsInput {
  domain::RecordKind kind = domain::RecordKind::kFinding;
  std::string before;
  std::string after;
  std::vector<sync::FieldValue> fields;
};

class InputReader {
 public:
  explicit InputReader(std::string_view bytes) : m_rest(bytes) {}
  bool empty() const { return m_rest.empty(); }
  std::uint8_t byte() {
    if (m_rest.empty()) return 0;
    const auto b = static_cast<std::uint8_t>(m_rest.front());
    m_rest.remove_prefix(1);
    return b;
  }
  std::string part() {
    const std::size_t length = byte() | (std::size_t{byte()} << 8);
    const std::string_view out = m_rest.substr(0, length);
    m_rest.remove_prefix(out.size());
    return std::string(out);
  }

 private:
  std::string_view m_rest;
};

inline std::uint32_t fieldNumberFromByte(std::uint8_t b) {
  if (b == 0) return std::uint32_t{1} << 31;
  if (b == 255) return UINT32_MAX;
  return b;
}

inline RecordFieldsInput readRecordFieldsInput(std::string_view bytes) {
  InputReader in(bytes);
  RecordFieldsInput out;
  out.kind = static_cast<domain::RecordKind>(in.byte());
  out.before = in.part();
  out.after = in.part();
  while (!in.empty() && out.fields.size() < 64) {
    sync::FieldValue field;
    field.number = fieldNumberFromByte(in.byte());
    field.hlc = sync::Hlc(in.byte());
    field.value = in.part();
    out.fields.push_back(std::move(field));
  }
  return out;
}

inline void appendPart(std::string& out, std::string_view part) {
  out.push_back(static_cast<char>(part.size() & 0xff));
  out.push_back(static_cast<char>((part.size() >> 8) & 0xff));
  out.append(part.substr(0, 0xffff));
}

// The inverse of readRecordFieldsInput, for the corpus. REQUIRES: field numbers 1..254, parts
// below 64 KiB.
inline std::string writeRecordFieldsInput(const RecordFieldsInput& input) {
  std::string out(1, static_cast<char>(static_cast<int>(input.kind)));
  appendPart(out, input.before);
  appendPart(out, input.after);
  for (const sync::FieldValue& field : input.fields) {
    out.push_back(static_cast<char>(field.number));
    out.push_back(static_cast<char>(field.hlc.packed() & 0xff));
    appendPart(out, field.value);
  }
  return out;
}

}  // namespace opcat::fuzz
