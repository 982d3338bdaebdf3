// encodeChange: the opcat.v1.Change bytes of a change, written straight from sync::Change.
// Going through a v1::Change copied every value and string into a message first, then
// serialized it: an eighth of the server's work to prepare a pushed change, and a part of every
// tablet edit. The bytes are exactly protobuf's (fields in number order, proto3 defaults left
// out, a present id always written); tests compare the two on many changes.
#include <google/protobuf/wire_format_lite.h>

#include <cstdint>
#include <string>
#include <string_view>

#include "core/byte_buffer.h"
#include "opcat/v1/change.pb.h"
#include "sync/codec/change_codec.h"

namespace opcat::codec {
namespace {

using WireType = google::protobuf::internal::WireFormatLite::WireType;
using google::protobuf::internal::WireFormatLite;

// Every field number here is below 16, so each tag is one byte.
template <int kNumber>
constexpr std::uint8_t tag(WireType type) {
  static_assert(kNumber > 0 && kNumber < 16);
  return static_cast<std::uint8_t>(WireFormatLite::MakeTag(kNumber, type));
}

std::size_t varintSize(std::uint64_t v) {
  std::size_t n = 1;
  for (; v >= 0x80; v >>= 7) ++n;
  return n;
}

std::size_t stringFieldSize(std::string_view s) {
  return s.empty() ? 0 : 1 + varintSize(s.size()) + s.size();
}

template <int kNumber>
void putString(ByteWriter& out, std::string_view s) {
  if (s.empty()) return;
  out.putU8(tag<kNumber>(WireFormatLite::WIRETYPE_LENGTH_DELIMITED));
  out.putShortBytes(s);
}

template <int kNumber>
void putFixed64(ByteWriter& out, std::uint64_t v) {
  if (v == 0) return;
  out.putU8(tag<kNumber>(WireFormatLite::WIRETYPE_FIXED64));
  out.putU64(v);  // little-endian, as protobuf's fixed64
}

template <int kNumber>
void putVarint(ByteWriter& out, std::uint64_t v) {
  if (v == 0) return;
  out.putU8(tag<kNumber>(WireFormatLite::WIRETYPE_VARINT));
  out.putVarint(v);
}

std::size_t versionSize(const sync::FieldVersion& v) {
  return (v.hlc.packed() != 0 ? 9 : 0) + stringFieldSize(v.deviceId);
}

template <int kNumber>
void putVersion(ByteWriter& out, const sync::FieldVersion& v) {
  out.putU8(tag<kNumber>(WireFormatLite::WIRETYPE_LENGTH_DELIMITED));
  out.putVarint(versionSize(v));
  putFixed64<v1::FieldVersion::kHlcFieldNumber>(out, v.hlc.packed());
  putString<v1::FieldVersion::kDeviceIdFieldNumber>(out, v.deviceId);
}

std::size_t fieldValueSize(const sync::FieldValue& f) {
  std::size_t size = (f.number != 0 ? 1 + varintSize(f.number) : 0) + stringFieldSize(f.value) +
                     (f.hlc.packed() != 0 ? 9 : 0);
  for (const sync::FieldVersion& v : f.supersedes) {
    const std::size_t n = versionSize(v);
    size += 1 + varintSize(n) + n;
  }
  return size;
}

}  // namespace

std::string encodeChange(const sync::Change& change) {
  using C = v1::Change;
  ByteWriter out;
  out.reserve(256 + [&] {
    std::size_t values = 0;
    for (const sync::FieldValue& f : change.fields) values += f.value.size() + 16;
    return values;
  }());
  // The id is a message field that changeToProto always sets: written even when empty.
  out.putU8(tag<C::kIdFieldNumber>(WireFormatLite::WIRETYPE_LENGTH_DELIMITED));
  out.putVarint(stringFieldSize(change.id.deviceId) +
                (change.id.sequence != 0 ? 1 + varintSize(change.id.sequence) : 0));
  putString<v1::ChangeId::kDeviceIdFieldNumber>(out, change.id.deviceId);
  putVarint<v1::ChangeId::kSequenceFieldNumber>(out, change.id.sequence);
  // An enum is an int32 varint: a negative one takes ten bytes, as protobuf writes it.
  putVarint<C::kKindFieldNumber>(
      out, static_cast<std::uint64_t>(static_cast<std::int64_t>(static_cast<int>(change.kind))));
  putString<C::kRecordIdFieldNumber>(out, change.recordId);
  putString<C::kParentIdFieldNumber>(out, change.parentId);
  for (const sync::FieldValue& f : change.fields) {
    out.putU8(tag<C::kFieldsFieldNumber>(WireFormatLite::WIRETYPE_LENGTH_DELIMITED));
    out.putVarint(fieldValueSize(f));
    putVarint<v1::FieldValue::kNumberFieldNumber>(out, f.number);
    putString<v1::FieldValue::kValueFieldNumber>(out, f.value);
    putFixed64<v1::FieldValue::kHlcFieldNumber>(out, f.hlc.packed());
    for (const sync::FieldVersion& v : f.supersedes) {
      putVersion<v1::FieldValue::kSupersedesFieldNumber>(out, v);
    }
  }
  putFixed64<C::kHlcFieldNumber>(out, change.hlc.packed());
  putVarint<C::kDeletedFieldNumber>(out, change.deleted ? 1 : 0);
  putString<C::kAuthorIdFieldNumber>(out, change.authorId);
  for (const sync::FieldVersion& v : change.deletedVersions) {
    putVersion<C::kDeletedVersionsFieldNumber>(out, v);
  }
  for (const sync::FieldVersion& v : change.seenDeletes) {
    putVersion<C::kSeenDeletesFieldNumber>(out, v);
  }
  return out.take();
}

}  // namespace opcat::codec
