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

// Which rules validateEncodedRecord applies. kEachField leaves out the rules that tie fields
// together (domain::ValidationError::linksFields): two concurrent edits, each valid where it
// was made, can merge into a record that breaks one of those, and refusing the later edit would
// leave it on its own tablet while every other replica kept the merge. Every field's own rules
// (ids, UTF-8, lengths, enum ranges, bounds) still hold.
enum class RuleSet { kAll, kEachField };

// Decodes `content` as the opcat.v1 message of `kind` and runs the domain validation.
// kCorrupt when it does not parse; kInvalidArgument naming the record, field and rule otherwise.
Status validateEncodedRecord(domain::RecordKind kind, std::string_view content,
                             RuleSet rules = RuleSet::kAll);

// The same for a record already parsed (see applyFields), without serializing and parsing it
// again. kInvalidArgument when `message` is not the opcat.v1 message of `kind`.
Status validateRecordMessage(domain::RecordKind kind, const google::protobuf::Message& message);

}  // namespace opcat::codec
