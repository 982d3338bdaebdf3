#include "storage/record_state.h"

#include "core/byte_buffer.h"

namespace opcat::storage {

std::string RecordState::serialize() const {
  ByteWriter out;
  out.putU8(1);  // format version
  out.putBytes(content);
  out.putBytes(merge.serialize());
  return out.take();
}

Result<RecordState> RecordState::parse(std::string_view bytes) {
  ByteReader in(bytes);
  const auto version = in.getU8();
  const auto content = in.getBytes();
  const auto merge = in.getBytes();
  if (!version || *version != 1 || !content || !merge || !in.atEnd()) {
    return Status::error(StatusCode::kCorrupt, "record state is malformed");
  }
  auto parsed = sync::RecordMergeState::parse(*merge);
  if (!parsed) return parsed.status();
  return RecordState{std::string(*content), std::move(parsed).value()};
}

}  // namespace opcat::storage
