// Rebuilding a record's content after a merge changed the current values of some fields. Used
// by the server and the tablet alike, so both derive the same content from the same heads.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "core/status.h"
#include "domain/record_kind.h"
#include "sync/merge.h"

namespace opcat::codec {

// Applies the current values of `changed` fields to `content`, together with the current values
// of their oneof siblings, oldest version first (clock, then device id). So within a oneof the
// member set by the newest edit wins on every replica, whatever order the edits arrived in.
Result<std::string> rebuildContent(domain::RecordKind kind, std::string_view content,
                                   const sync::RecordMergeState& merge,
                                   std::span<const std::uint32_t> changed);

// rebuildContent, with `validation` set to validateEncodedRecord's verdict on the result (see
// applyFieldsValidated). With nothing to apply, the content is validated as it is.
Result<std::string> rebuildValidatedContent(domain::RecordKind kind, std::string_view content,
                                            const sync::RecordMergeState& merge,
                                            std::span<const std::uint32_t> changed,
                                            Status& validation);

}  // namespace opcat::codec
