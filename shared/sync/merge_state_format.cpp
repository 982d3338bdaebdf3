// The stored form of RecordMergeState.
//
// Format 3 (written): format 2 with u8 3, followed by the deletes edits named as seen (varint
// count, then u64 clock and varint device index each).
//
// Format 2 (read only): u8 2; the device and author ids, each once (varint count, then varint
// length + bytes, in order of first use); varint field count; per field in number order: varint
// number, varint head count, and per head: varint flags (kHeld: the value is the record content's
// own bytes for this field and is not repeated), the value unless held (varint length + bytes),
// u64 clock, varint index of its device id, varint index of its author id; then the deletes and
// the versions they saw: varint count, then u64 clock and varint device index each.
// A finding's state took twice its content in format 1 (every value, 36-byte ids per field);
// in format 2 with its content held it is a few bytes per field.
//
// Format 1 (read only): u8 1; u32 field count; per field u32 number, u32 head count, per head
// the value, u64 clock and device id, author id (u32 length + bytes each); u32-counted versions.
#include <algorithm>
#include <array>
#include <span>
#include <vector>

#include "core/byte_buffer.h"
#include "sync/merge.h"

namespace opcat::sync {
namespace {

constexpr std::uint8_t kFormat1 = 1;
constexpr std::uint8_t kFormat2 = 2;
constexpr std::uint8_t kFormat3 = 3;
constexpr std::uint64_t kHeld = 1;

const std::string_view* heldValue(HeldValues held, std::uint32_t number) {
  const auto it = std::lower_bound(held.begin(), held.end(), number,
                                   [](const auto& entry, std::uint32_t n) { return entry.first < n; });
  return it != held.end() && it->first == number ? &it->second : nullptr;
}

// Ids in order of first use, each written once. A record's heads come from a handful of devices
// and authors, so a linear scan of the few ids seen beats hashing 36-byte ids twice per head;
// the views point into the state being written, which outlives the table.
class IdTable {
 public:
  std::uint64_t indexOf(std::string_view id) {
    for (std::size_t i = 0; i < m_ids.size(); ++i) {
      if (m_ids[i] == id) return i;
    }
    m_ids.push_back(id);
    return m_ids.size() - 1;
  }
  void write(ByteWriter& out) const {
    out.putVarint(m_ids.size());
    for (const std::string_view id : m_ids) out.putShortBytes(id);
  }

 private:
  std::vector<std::string_view> m_ids;
};

}  // namespace

struct MergeStateFormat {
  static std::string write(const RecordMergeState& state, HeldValues held) {
    IdTable ids;
    ByteWriter body;
    body.reserve(64 + 16 * state.m_fields.size());
    body.putVarint(state.m_fields.size());
    for (const auto& [number, heads] : state.m_fields) {
      body.putVarint(number);
      body.putVarint(heads.size());
      const std::string_view* own = heldValue(held, number);
      for (const FieldHead& head : heads) {
        const bool isHeld = own != nullptr && *own == head.value;
        body.putVarint(isHeld ? kHeld : 0);
        if (!isHeld) body.putShortBytes(head.value);
        body.putU64(head.version.hlc.packed());
        body.putVarint(ids.indexOf(head.version.deviceId));
        body.putVarint(ids.indexOf(head.authorId));
      }
    }
    for (const auto* list : {&state.m_deletes, &state.m_deletedVersions, &state.m_seenDeletes}) {
      body.putVarint(list->size());
      for (const FieldVersion& v : *list) {
        body.putU64(v.hlc.packed());
        body.putVarint(ids.indexOf(v.deviceId));
      }
    }
    ByteWriter out;
    out.reserve(1 + 40 * 2 + body.bytes().size());
    out.putU8(kFormat3);
    ids.write(out);
    std::string bytes = out.take();
    bytes += body.bytes();
    return bytes;
  }

  // Formats 2 and 3: 3 adds the list of deletes seen by edits.
  static bool read2or3(ByteReader& in, std::uint8_t format, HeldValues held,
                       RecordMergeState& state) {
    const auto idCount = in.getVarint();
    if (!idCount) return false;
    std::vector<std::string_view> ids;
    for (std::uint64_t i = 0; i < *idCount; ++i) {
      const auto id = in.getShortBytes();
      if (!id) return false;
      ids.push_back(*id);
    }
    const auto id = [&](std::optional<std::uint64_t> index, std::string& out) {
      if (!index || *index >= ids.size()) return false;
      out = std::string(ids[*index]);
      return true;
    };
    const auto version = [&](FieldVersion& v) {
      const auto hlc = in.getU64();
      if (!hlc) return false;
      v.hlc = Hlc(*hlc);
      return id(in.getVarint(), v.deviceId);
    };
    const auto fieldCount = in.getVarint();
    if (!fieldCount) return false;
    for (std::uint64_t f = 0; f < *fieldCount; ++f) {
      const auto number = in.getVarint();
      const auto headCount = in.getVarint();
      if (!number || !headCount || *number > UINT32_MAX) return false;
      const auto n = static_cast<std::uint32_t>(*number);
      if (!state.m_fields.empty() && state.m_fields.rbegin()->first >= n) return false;
      std::vector<FieldHead>& heads = state.m_fields[n];
      for (std::uint64_t h = 0; h < *headCount; ++h) {
        FieldHead head;
        const auto flags = in.getVarint();
        if (!flags || (*flags & ~kHeld) != 0) return false;
        if (*flags & kHeld) {
          const std::string_view* own = heldValue(held, n);
          if (own == nullptr) return false;  // stored against content that does not hold it
          head.value = std::string(*own);
        } else {
          const auto value = in.getShortBytes();
          if (!value) return false;
          head.value = std::string(*value);
        }
        if (!version(head.version) || !id(in.getVarint(), head.authorId)) return false;
        heads.push_back(std::move(head));
      }
    }
    const std::array<std::vector<FieldVersion>*, 3> lists = {
        &state.m_deletes, &state.m_deletedVersions, &state.m_seenDeletes};
    for (auto* list : std::span(lists).first(format == kFormat3 ? 3 : 2)) {
      const auto count = in.getVarint();
      if (!count) return false;
      for (std::uint64_t i = 0; i < *count; ++i) {
        FieldVersion v;
        if (!version(v)) return false;
        list->push_back(std::move(v));
      }
    }
    return true;
  }

  static bool read1(ByteReader& in, RecordMergeState& state) {
    const auto version = [&](FieldVersion& v) {
      const auto hlc = in.getU64();
      const auto device = in.getBytes();
      if (!hlc || !device) return false;
      v = {Hlc(*hlc), std::string(*device)};
      return true;
    };
    const auto fieldCount = in.getU32();
    if (!fieldCount) return false;
    for (std::uint32_t i = 0; i < *fieldCount; ++i) {
      const auto number = in.getU32();
      const auto headCount = in.getU32();
      if (!number || !headCount) return false;
      auto& heads = state.m_fields[*number];
      for (std::uint32_t k = 0; k < *headCount; ++k) {
        FieldHead head;
        const auto value = in.getBytes();
        if (!value || !version(head.version)) return false;
        const auto author = in.getBytes();
        if (!author) return false;
        head.value = std::string(*value);
        head.authorId = std::string(*author);
        heads.push_back(std::move(head));
      }
    }
    for (auto* list : {&state.m_deletes, &state.m_deletedVersions}) {
      const auto count = in.getU32();
      if (!count) return false;
      for (std::uint32_t i = 0; i < *count; ++i) {
        FieldVersion v;
        if (!version(v)) return false;
        list->push_back(std::move(v));
      }
    }
    return true;
  }
};

std::string RecordMergeState::serialize(HeldValues held) const {
  return MergeStateFormat::write(*this, held);
}

Result<RecordMergeState> RecordMergeState::parse(std::string_view bytes, HeldValues held) {
  ByteReader in(bytes);
  const auto format = in.getU8();
  RecordMergeState state;
  const bool read =
      format && (((*format == kFormat3 || *format == kFormat2) &&
                  MergeStateFormat::read2or3(in, *format, held, state)) ||
                 (*format == kFormat1 && MergeStateFormat::read1(in, state)));
  if (!read || !in.atEnd()) {
    return Status::error(StatusCode::kCorrupt, "record merge state is malformed");
  }
  return state;
}

}  // namespace opcat::sync
