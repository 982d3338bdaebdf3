#include "core/byte_buffer.h"

namespace opcat {

void ByteWriter::putU32(std::uint32_t v) {
  for (int i = 0; i < 4; ++i) putU8(static_cast<std::uint8_t>(v >> (8 * i)));
}

void ByteWriter::putU64(std::uint64_t v) {
  for (int i = 0; i < 8; ++i) putU8(static_cast<std::uint8_t>(v >> (8 * i)));
}

void ByteWriter::putBytes(std::string_view bytes) {
  putU32(static_cast<std::uint32_t>(bytes.size()));
  m_out.append(bytes);
}

void ByteWriter::putVarint(std::uint64_t v) {
  while (v >= 0x80) {
    putU8(static_cast<std::uint8_t>(v | 0x80));
    v >>= 7;
  }
  putU8(static_cast<std::uint8_t>(v));
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
