// Merging a pulled change into a record's state: the part of applying a pull that needs nothing
// from the database. TabletStore::applyPulled runs it for records it holds; for records it does
// not hold (every record of a first sync), the outcome depends on the change alone, so it can be
// computed ahead, on another thread, while the previous page is being written.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "domain/record_kind.h"
#include "storage/history.h"
#include "storage/record_state.h"
#include "sync/change.h"

namespace opcat::storage {

// Encoded values of every set field of `content` (opcat.v1 bytes of `kind`), by number: the
// "before" side of a history entry. Empty for empty content.
Result<std::map<std::uint32_t, std::string>> fieldsOfStoredContent(domain::RecordKind kind,
                                                                   std::string_view content);

// Whether the record is flagged for the monitor: a conflict to resolve, or restored after a
// delete.
bool holdsConflict(const RecordState& state);

struct PulledMerge {
  bool applied = false;  // false: the change was seen already and changed nothing
  HistoryEntry entry;    // who changed which field from what to what
};

// Merges `change` into `state` (empty for a record the store does not hold) and rebuilds its
// content from the fields whose current value changed. kCorrupt when the content cannot be
// rebuilt (the server validated it, so this is damage).
Result<PulledMerge> mergePulled(const sync::Change& change, RecordState& state);

// A pulled change merged into a record: what its records row and history row will hold, already
// serialized (the applying thread seals them: with the merge done ahead, that balances the
// two threads of a pull).
struct PreparedPull {
  bool applied = false;
  bool deleted = false;
  bool conflicted = false;
  std::string state;    // RecordState::serialize()
  std::string history;  // HistoryEntry::serialize()
};

// `state` after mergePulled gave `merged`, in the form applyPulled stores.
PreparedPull preparedOutcome(const RecordState& state, const PulledMerge& merged);

// prepared[i] for changes[i] as if its record were new here; nullopt for this device's own
// changes (applyPulled skips them) and for changes whose merge fails (applyPulled reports that
// itself). Reads no database: safe on any thread.
std::vector<std::optional<PreparedPull>> preparePulled(std::string_view ownDeviceId,
                                                       std::span<const sync::Change> changes);

}  // namespace opcat::storage
