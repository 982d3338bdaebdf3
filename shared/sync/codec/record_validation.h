// Validation of a record given as encoded content and its kind, for code that holds records
// generically (the server applying pushed changes, the tablet applying pulled ones).
#pragma once

#include <string_view>

#include "core/status.h"
#include "domain/record_kind.h"

namespace google::protobuf {
class Message;
}

namespace opcat::codec {

// Decodes `content` as the opcat.v1 message of `kind` and runs the domain validation.
// kCorrupt when it does not parse; kInvalidArgument naming the record, field and rule otherwise.
Status validateEncodedRecord(domain::RecordKind kind, std::string_view content);

// The same for a record already parsed (see applyFields), without serializing and parsing it
// again. kInvalidArgument when `message` is not the opcat.v1 message of `kind`.
Status validateRecordMessage(domain::RecordKind kind, const google::protobuf::Message& message);

}  // namespace opcat::codec
