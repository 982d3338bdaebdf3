// Change ↔ opcat.v1.Change for code that already holds protobuf messages (the server's HTTP
// layer parses a whole PushRequest at once). Validation is the same as decodeChange's.
#pragma once

#include "core/status.h"
#include "opcat/v1/change.pb.h"
#include "sync/change.h"

namespace opcat::codec {

void changeToProto(const sync::Change& change, v1::Change& proto);
// kInvalidArgument naming the field, as decodeChange.
Result<sync::Change> changeFromProto(const v1::Change& proto);

}  // namespace opcat::codec
