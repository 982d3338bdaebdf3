#include "sync/codec/wire_reader.h"

#include <cstddef>

namespace opcat::codec {
namespace {

enum class WireType : std::uint32_t {
  kVarint = 0,
  kFixed64 = 1,
  kLengthDelimited = 2,
  kStartGroup = 3,
  kEndGroup = 4,
  kFixed32 = 5,
};

constexpr int kMaxVarintBytes = 10;
constexpr int kMaxTagBytes = 5;

// A bounds-checked cursor over wire bytes.
class WireCursor {
 public:
  explicit WireCursor(std::string_view bytes) : m_bytes(bytes) {}

  bool atEnd() const { return m_pos == m_bytes.size(); }

  std::optional<std::uint64_t> readVarint(int maxBytes = kMaxVarintBytes) {
    std::uint64_t value = 0;
    for (int i = 0; i < maxBytes; ++i) {
      if (m_pos >= m_bytes.size()) return std::nullopt;
      const auto byte = static_cast<std::uint8_t>(m_bytes[m_pos++]);
      // Bits past the 64th (in a 10th byte) are dropped, as protobuf does.
      value |= static_cast<std::uint64_t>(byte & 0x7Fu) << (7 * i);
      if ((byte & 0x80u) == 0) return value;
    }
    return std::nullopt;  // too long: corrupt
  }

  // A tag is a varint of at most five bytes whose bits past the 32nd are dropped: what protobuf
  // itself accepts, so that this reader sees the fields a full parse would.
  std::optional<std::uint32_t> readTag() {
    const std::optional<std::uint64_t> tag = readVarint(kMaxTagBytes);
    if (!tag) return std::nullopt;
    return static_cast<std::uint32_t>(*tag & UINT32_MAX);
  }

  bool skip(std::uint64_t count) {
    if (count > m_bytes.size() - m_pos) return false;
    m_pos += static_cast<std::size_t>(count);
    return true;
  }

  std::optional<std::string_view> readLengthDelimited() {
    const std::optional<std::uint64_t> length = readVarint();
    if (!length || *length > m_bytes.size() - m_pos) return std::nullopt;
    const std::string_view payload = m_bytes.substr(m_pos, static_cast<std::size_t>(*length));
    m_pos += payload.size();
    return payload;
  }

 private:
  std::string_view m_bytes;
  std::size_t m_pos = 0;
};

// One top-level field occurrence; `varint` or `payload` is set according to `type`.
struct WireField {
  std::uint32_t number = 0;
  WireType type = WireType::kVarint;
  std::uint64_t varint = 0;
  std::string_view payload;
};

// Calls `visit` for every top-level field in order; false when `message` is malformed.
// Groups (deprecated, never written by proto3) count as malformed.
template <typename Visit>
bool forEachField(std::string_view message, Visit&& visit) {
  WireCursor cursor(message);
  while (!cursor.atEnd()) {
    const std::optional<std::uint32_t> tag = cursor.readTag();
    if (!tag) return false;
    WireField field;
    field.number = static_cast<std::uint32_t>(*tag >> 3);
    if (field.number == 0) return false;
    field.type = static_cast<WireType>(*tag & 7u);
    switch (field.type) {
      case WireType::kVarint: {
        const std::optional<std::uint64_t> value = cursor.readVarint();
        if (!value) return false;
        field.varint = *value;
        break;
      }
      case WireType::kFixed64:
        if (!cursor.skip(8)) return false;
        break;
      case WireType::kLengthDelimited: {
        const std::optional<std::string_view> payload = cursor.readLengthDelimited();
        if (!payload) return false;
        field.payload = *payload;
        break;
      }
      case WireType::kFixed32:
        if (!cursor.skip(4)) return false;
        break;
      case WireType::kStartGroup:
      case WireType::kEndGroup:
      default:
        return false;
    }
    visit(field);
  }
  return true;
}

}  // namespace

std::optional<std::uint64_t> readVarintField(std::string_view message, std::uint32_t number) {
  std::optional<std::uint64_t> found;
  const bool wellFormed = forEachField(message, [&](const WireField& field) {
    if (field.number == number && field.type == WireType::kVarint) found = field.varint;
  });
  if (!wellFormed) return std::nullopt;
  return found;
}

std::optional<std::string_view> readLengthDelimitedField(std::string_view message,
                                                         std::uint32_t number) {
  std::optional<std::string_view> found;
  const bool wellFormed = forEachField(message, [&](const WireField& field) {
    if (field.number == number && field.type == WireType::kLengthDelimited) found = field.payload;
  });
  if (!wellFormed) return std::nullopt;
  return found;
}

}  // namespace opcat::codec
