// What the tablet keeps of one record, sealed as a whole: its current content (the opcat.v1
// message built from each field's current value) and the merge state (every field's heads and
// the deletes seen), which merging pulled changes needs.
#pragma once

#include <string>
#include <string_view>

#include "core/status.h"
#include "sync/merge.h"

namespace opcat::storage {

struct RecordState {
  std::string content;  // opcat.v1 message bytes
  sync::RecordMergeState merge;

  // The merge state is stored against the content (heads equal to the content's own bytes for
  // their field are not repeated), so a record does not keep its values twice.
  std::string serialize() const;
  // kCorrupt on truncated or trailing bytes.
  static Result<RecordState> parse(std::string_view bytes);
  // Only the content, without opening the merge state (for queries that read fields).
  static Result<std::string_view> contentOf(std::string_view bytes);
};

}  // namespace opcat::storage
