// Maps each RecordKind to its opcat.v1 message type: the generic field layer's only link from a
// record kind to a protobuf type.
#pragma once

#include "domain/record_kind.h"

namespace google::protobuf {
class Message;
}  // namespace google::protobuf

namespace opcat::codec {

// The default instance of the record message of `kind` (opcat::v1::Finding for kFinding, ...),
// or nullptr when `kind` is out of range. The instance lives as long as the program.
const google::protobuf::Message* prototypeFor(domain::RecordKind kind);

}  // namespace opcat::codec
