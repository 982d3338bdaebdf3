// The merge rules, written once and used by tablet and server alike (SYNC.md rules 5 and 7).
//
// Each field of a record keeps its *heads*: the values no known edit has replaced. An edit
// replaces exactly the versions its author had in front of them (FieldValue::supersedes). So two
// edits made without seeing each other both stay heads: the greatest by (hlc, device id) is the
// current value, the other an open conflict that people see and resolve, by an edit that
// supersedes both. Nothing is silently lost.
//
// Deletes are tombstones that name the versions they saw. A record is deleted while every head
// was seen by a delete; an edit the deleter had not seen brings the record back, flagged. The
// flag stays until an edit made after seeing the delete (a person kept or changed the record
// brought back) names that delete: an edit names every delete its replica held.
//
// Given causal delivery (a change arrives after the changes it supersedes; the sync protocol
// guarantees this: a device pushes in sequence order and pulls in the server's log order), every
// replica that applied the same set of changes holds an equal state, whatever the order.
#pragma once

#include <cstdint>
#include <map>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/status.h"
#include "sync/change.h"

namespace opcat::sync {

// One value of one field that no known edit has replaced.
struct FieldHead {
  std::string value;  // the encoded field; empty when the edit cleared it
  FieldVersion version;
  std::string authorId;
  friend bool operator==(const FieldHead&, const FieldHead&) = default;
};

// A field's encoded value by field number, sorted by number, each number at most once.
using HeldValues = std::span<const std::pair<std::uint32_t, std::string_view>>;

class RecordMergeState {
 public:
  // Field number → its heads, greatest version first: [0] is the current value, the rest are
  // open conflicts.
  const std::map<std::uint32_t, std::vector<FieldHead>>& fields() const { return m_fields; }
  const FieldHead* current(std::uint32_t number) const;

  // Fields with open conflicts, in number order.
  std::vector<std::uint32_t> conflictedFields() const;
  // Every head's version (what a delete made now would have seen), sorted.
  std::vector<FieldVersion> allHeadVersions() const;

  bool hasDeletes() const { return !m_deletes.empty(); }
  // The versions of the deletes applied, sorted.
  const std::vector<FieldVersion>& deletes() const { return m_deletes; }
  // Deleted while every head was seen by a delete.
  bool isDeleted() const;
  // A delete was overtaken by an edit its author had not seen: live again, and flagged until an
  // edit names every delete as seen.
  bool restoredAfterDelete() const;
  // The greatest clock in the state (for resuming a clock after restart).
  Hlc greatestHlc() const;

  // The stored form (merge_state_format.cpp). Heads whose value equals `held`'s bytes for their
  // field (the record's content already holds them; see codec::heldFieldValues) are stored
  // without it, so a record does not keep its values twice; parse takes them back from the same
  // `held`. Equal states with equal `held` give equal bytes. Parse also reads the older format.
  std::string serialize(HeldValues held = {}) const;
  static Result<RecordMergeState> parse(std::string_view bytes, HeldValues held = {});

  friend bool operator==(const RecordMergeState&, const RecordMergeState&) = default;

 private:
  friend struct MergeApplier;
  friend struct MergeStateFormat;
  std::map<std::uint32_t, std::vector<FieldHead>> m_fields;
  std::vector<FieldVersion> m_deletes;          // versions of applied deletes, sorted
  std::vector<FieldVersion> m_deletedVersions;  // versions those deletes saw, sorted, unique
  std::vector<FieldVersion> m_seenDeletes;      // deletes that edits named as seen, sorted, unique
};

struct MergeOutcome {
  std::vector<std::uint32_t> currentChanged;  // fields whose current value changed
  bool applied = false;  // false when every part of the change was already in the state
  bool deletedBefore = false;
  bool deletedAfter = false;
};

// Applies a change made anywhere (this replica or another) to a record's state.
MergeOutcome applyChange(RecordMergeState& state, const Change& change);

// Fills in what a local change replaces: for each field, every head this replica holds (so an
// edit resolves the conflicts the person saw); for a delete, every head of every field; for an
// edit, every delete (so a record kept after it was brought back is no longer flagged).
void stampLocalChange(const RecordMergeState& state, Change& change);

}  // namespace opcat::sync
