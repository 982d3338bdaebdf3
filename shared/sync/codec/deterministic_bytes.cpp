#include "sync/codec/deterministic_bytes.h"

#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/zero_copy_stream_impl_lite.h>

namespace opcat::codec {

std::string deterministicBytes(const google::protobuf::MessageLite& message) {
  // Sized once, up front: through a StringOutputStream the string was grown (reallocated and
  // zero-filled) as the output got longer, for every record a change rebuilds.
  const std::size_t size = message.ByteSizeLong();  // also caches the sizes written below
  std::string out(size, '\0');
  google::protobuf::io::ArrayOutputStream array(out.data(), static_cast<int>(size));
  google::protobuf::io::CodedOutputStream coded(&array);
  coded.SetSerializationDeterministic(true);
  message.SerializeWithCachedSizes(&coded);
  return out;
}

}  // namespace opcat::codec
