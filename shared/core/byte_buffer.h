// Length-prefixed binary framing for small internal blobs (record state, history entries).
// Little-endian fixed-width integers; a reader never reads past its input and reports
// truncation instead of guessing.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace opcat {

class ByteWriter {
 public:
  void putU8(std::uint8_t v) { m_out.push_back(static_cast<char>(v)); }
  void putU32(std::uint32_t v);
  void putU64(std::uint64_t v);
  // u32 length, then the bytes.
  void putBytes(std::string_view bytes);
  // Base-128, low groups first (protobuf's varint): small numbers take one byte.
  void putVarint(std::uint64_t v);
  // varint length, then the bytes.
  void putShortBytes(std::string_view bytes);
  void reserve(std::size_t bytes) { m_out.reserve(bytes); }
  const std::string& bytes() const { return m_out; }
  std::string take() { return std::move(m_out); }

 private:
  std::string m_out;
};

class ByteReader {
 public:
  explicit ByteReader(std::string_view in) : m_in(in) {}
  std::optional<std::uint8_t> getU8();
  std::optional<std::uint32_t> getU32();
  std::optional<std::uint64_t> getU64();
  std::optional<std::string_view> getBytes();
  std::optional<std::uint64_t> getVarint();  // nullopt when truncated or over 10 bytes
  std::optional<std::string_view> getShortBytes();
  bool atEnd() const { return m_pos == m_in.size(); }

 private:
  std::string_view m_in;
  std::size_t m_pos = 0;
};

}  // namespace opcat
