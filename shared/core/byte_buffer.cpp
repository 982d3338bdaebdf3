#include "core/byte_buffer.h"

namespace opcat {

// Each put appends once from a local buffer: byte-by-byte push_back checked the capacity for
// every byte, and merge states are written for every change a server or tablet applies.
void ByteWriter::putU32(std::uint32_t v) {
  char bytes[4];
  for (int i = 0; i < 4; ++i) bytes[i] = static_cast<char>(v >> (8 * i));
  m_out.append(bytes, sizeof bytes);
}

void ByteWriter::putU64(std::uint64_t v) {
  char bytes[8];
  for (int i = 0; i < 8; ++i) bytes[i] = static_cast<char>(v >> (8 * i));
  m_out.append(bytes, sizeof bytes);
}

void ByteWriter::putBytes(std::string_view bytes) {
  putU32(static_cast<std::uint32_t>(bytes.size()));
  m_out.append(bytes);
}

void ByteWriter::putVarint(std::uint64_t v) {
  char bytes[10];
  std::size_t n = 0;
  while (v >= 0x80) {
    bytes[n++] = static_cast<char>(v | 0x80);
    v >>= 7;
  }
  bytes[n++] = static_cast<char>(v);
  m_out.append(bytes, n);
}

void ByteWriter::putShortBytes(std::string_view bytes) {
  putVarint(bytes.size());
  m_out.append(bytes);
}

std::optional<std::uint8_t> ByteReader::getU8() {
  if (m_pos >= m_in.size()) return std::nullopt;
  return static_cast<std::uint8_t>(m_in[m_pos++]);
}

std::optional<std::uint32_t> ByteReader::getU32() {
  if (m_in.size() - m_pos < 4) return std::nullopt;
  std::uint32_t v = 0;
  for (int i = 0; i < 4; ++i) {
    v |= std::uint32_t{static_cast<std::uint8_t>(m_in[m_pos++])} << (8 * i);
  }
  return v;
}

std::optional<std::uint64_t> ByteReader::getU64() {
  if (m_in.size() - m_pos < 8) return std::nullopt;
  std::uint64_t v = 0;
  for (int i = 0; i < 8; ++i) {
    v |= std::uint64_t{static_cast<std::uint8_t>(m_in[m_pos++])} << (8 * i);
  }
  return v;
}

std::optional<std::string_view> ByteReader::getBytes() {
  const auto len = getU32();
  if (!len || m_in.size() - m_pos < *len) return std::nullopt;
  const std::string_view out = m_in.substr(m_pos, *len);
  m_pos += *len;
  return out;
}

std::optional<std::uint64_t> ByteReader::getVarint() {
  std::uint64_t v = 0;
  for (int shift = 0; shift < 64; shift += 7) {
    if (m_pos >= m_in.size()) return std::nullopt;
    const auto byte = static_cast<std::uint8_t>(m_in[m_pos++]);
    v |= std::uint64_t{byte & 0x7Fu} << shift;
    if ((byte & 0x80) == 0) return v;
  }
  return std::nullopt;
}

std::optional<std::string_view> ByteReader::getShortBytes() {
  const auto len = getVarint();
  if (!len || m_in.size() - m_pos < *len) return std::nullopt;
  const std::string_view out = m_in.substr(m_pos, *len);
  m_pos += *len;
  return out;
}

}  // namespace opcat
