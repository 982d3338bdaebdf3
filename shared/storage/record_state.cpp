#include "storage/record_state.h"

#include "core/byte_buffer.h"
#include "sync/codec/record_fields.h"

namespace opcat::storage {
namespace {

// Format 1: u8 1, the content, the merge state (its own format; from format 2 on it may leave
// out values the content holds, which parsing takes back from the same content).
constexpr std::uint8_t kFormat = 1;

Status malformed() { return Status::error(StatusCode::kCorrupt, "record state is malformed"); }

}  // namespace

std::string RecordState::serialize() const {
  ByteWriter out;
  out.putU8(kFormat);
  out.putBytes(content);
  out.putBytes(merge.serialize(codec::heldFieldValues(content)));
  return out.take();
}

Result<RecordState> RecordState::parse(std::string_view bytes) {
  ByteReader in(bytes);
  const auto version = in.getU8();
  const auto content = in.getBytes();
  const auto merge = in.getBytes();
  if (!version || *version != kFormat || !content || !merge || !in.atEnd()) return malformed();
  auto parsed = sync::RecordMergeState::parse(*merge, codec::heldFieldValues(*content));
  if (!parsed) return parsed.status();
  return RecordState{std::string(*content), std::move(parsed).value()};
}

Result<std::string_view> RecordState::contentOf(std::string_view bytes) {
  ByteReader in(bytes);
  const auto version = in.getU8();
  const auto content = in.getBytes();
  if (!version || *version != kFormat || !content) return malformed();
  return *content;
}

}  // namespace opcat::storage
