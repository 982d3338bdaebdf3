// Validation of a record given as encoded content and its kind, for code that holds records
// generically (the server applying pushed changes, the tablet applying pulled ones).
#pragma once

#include <string_view>

#include "core/status.h"
#include "domain/record_kind.h"

namespace opcat::codec {

// Decodes `content` as the opcat.v1 message of `kind` and runs the domain validation.
// kCorrupt when it does not parse; kInvalidArgument naming the record, field and rule otherwise.
Status validateEncodedRecord(domain::RecordKind kind, std::string_view content);

}  // namespace opcat::codec
