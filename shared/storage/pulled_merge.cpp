#include "storage/pulled_merge.h"

#include "sync/codec/merged_content.h"
#include "sync/codec/record_fields.h"

namespace opcat::storage {
namespace {

// Every set field through protobuf: for content this store did not write, or not canonical.
Result<std::map<std::uint32_t, std::string>> fieldsByNumber(domain::RecordKind kind,
                                                            std::string_view content) {
  std::map<std::uint32_t, std::string> out;
  auto fields = codec::splitFields(kind, content);
  if (!fields) return fields.status();
  for (auto& f : *fields) out[f.number] = std::move(f.value);
  return out;
}

}  // namespace

// Read from the wire without parsing the message: the store's content is canonical (one run per
// field, in number order), so each field's bytes are its value as splitFields gives it. Falls
// back to splitFields when the scan does not account for every byte.
Result<std::map<std::uint32_t, std::string>> fieldsOfStoredContent(domain::RecordKind kind,
                                                                   std::string_view content) {
  std::map<std::uint32_t, std::string> out;
  if (content.empty()) return out;
  std::size_t covered = 0;
  const auto held = codec::heldFieldValues(content);
  for (const auto& [number, value] : held) covered += value.size();
  if (covered != content.size()) return fieldsByNumber(kind, content);
  for (const auto& [number, value] : held) out.emplace_hint(out.end(), number, value);
  return out;
}

bool holdsConflict(const RecordState& state) {
  return !state.merge.conflictedFields().empty() || state.merge.restoredAfterDelete();
}

Result<PulledMerge> mergePulled(const sync::Change& change, RecordState& state) {
  PulledMerge out;
  const sync::MergeOutcome outcome = sync::applyChange(state.merge, change);
  if (!outcome.applied) return out;
  out.applied = true;

  // A new record had no values before: its history entry holds only the new ones.
  auto before = fieldsOfStoredContent(change.kind, state.content);
  if (!before) return before.status();
  out.entry = HistoryEntry{change.authorId, 0, change.hlc, change.deleted, {}};
  out.entry.edits.reserve(outcome.currentChanged.size());
  for (const std::uint32_t number : outcome.currentChanged) {
    const auto old = before->find(number);
    out.entry.edits.push_back({number,
                               old == before->end() ? std::string() : std::move(old->second),
                               state.merge.current(number)->value});
  }
  if (!outcome.currentChanged.empty()) {
    auto content =
        codec::rebuildContent(change.kind, state.content, state.merge, outcome.currentChanged);
    if (!content) return content.status();
    state.content = std::move(content).value();
  }
  return out;
}

PreparedPull preparedOutcome(const RecordState& state, const PulledMerge& merged) {
  PreparedPull out;
  out.applied = merged.applied;
  if (!out.applied) return out;
  out.deleted = state.merge.isDeleted();
  out.conflicted = holdsConflict(state);
  out.state = state.serialize();
  out.history = merged.entry.serialize();
  return out;
}

std::vector<std::optional<PreparedPull>> preparePulled(std::string_view ownDeviceId,
                                                       std::span<const sync::Change> changes) {
  std::vector<std::optional<PreparedPull>> prepared(changes.size());
  for (std::size_t i = 0; i < changes.size(); ++i) {
    const sync::Change& change = changes[i];
    if (change.id.deviceId == ownDeviceId) continue;
    RecordState state;
    auto merged = mergePulled(change, state);
    if (merged) prepared[i] = preparedOutcome(state, *merged);
  }
  return prepared;
}

}  // namespace opcat::storage
