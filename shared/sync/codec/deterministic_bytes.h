// The one way the codec turns a message into bytes that must be equal whenever the content is:
// deterministic serialization (map entries ordered; fields are always in number order), so a
// record's encoding can be compared, diffed and hashed on every replica.
#pragma once

#include <google/protobuf/message_lite.h>

#include <string>

namespace opcat::codec {

std::string deterministicBytes(const google::protobuf::MessageLite& message);

}  // namespace opcat::codec
