#include "sync/merge.h"

#include <algorithm>


namespace opcat::sync {
namespace {

// The version sets of a merge state are kept sorted and without repeats, for binary search.
void sortUnique(std::vector<FieldVersion>& versions) {
  std::sort(versions.begin(), versions.end());
  versions.erase(std::unique(versions.begin(), versions.end()), versions.end());
}

}  // namespace

struct MergeApplier {
  static bool applyField(RecordMergeState& state, const Change& change, const FieldValue& field,
                         MergeOutcome& outcome) {
    std::vector<FieldHead>& heads = state.m_fields[field.number];
    const FieldVersion version{field.hlc, change.id.deviceId};
    for (const FieldHead& head : heads) {
      if (head.version == version) return false;  // this edit is already here
    }
    const FieldVersion before = heads.empty() ? FieldVersion{} : heads.front().version;
    std::erase_if(heads, [&](const FieldHead& head) {
      return std::find(field.supersedes.begin(), field.supersedes.end(), head.version) !=
             field.supersedes.end();
    });
    const auto at = std::find_if(heads.begin(), heads.end(),
                                 [&](const FieldHead& h) { return h.version < version; });
    heads.insert(at, FieldHead{field.value, version, change.authorId});
    if (heads.front().version != before) outcome.currentChanged.push_back(field.number);
    return true;
  }

  static bool applyDelete(RecordMergeState& state, const Change& change) {
    const FieldVersion version{change.hlc, change.id.deviceId};
    auto& deletes = state.m_deletes;
    const auto at = std::lower_bound(deletes.begin(), deletes.end(), version);
    if (at != deletes.end() && *at == version) return false;
    deletes.insert(at, version);
    auto& seen = state.m_deletedVersions;
    seen.insert(seen.end(), change.deletedVersions.begin(), change.deletedVersions.end());
    sortUnique(seen);
    return true;
  }

  // Adds the deletes an edit names as seen; whether any was new here. Only deletes this state
  // holds count: causal delivery brings a delete before any edit made after seeing it, and a
  // device naming versions that are no delete cannot grow the state.
  static bool applySeenDeletes(RecordMergeState& state, const Change& change) {
    auto& seen = state.m_seenDeletes;
    const std::size_t before = seen.size();
    for (const FieldVersion& v : change.seenDeletes) {
      if (std::binary_search(state.m_deletes.begin(), state.m_deletes.end(), v)) seen.push_back(v);
    }
    sortUnique(seen);
    return seen.size() != before;
  }
};

const FieldHead* RecordMergeState::current(std::uint32_t number) const {
  const auto it = m_fields.find(number);
  return it == m_fields.end() || it->second.empty() ? nullptr : &it->second.front();
}

std::vector<std::uint32_t> RecordMergeState::conflictedFields() const {
  std::vector<std::uint32_t> out;
  for (const auto& entry : m_fields) {
    // Heads that all hold the same value (two people cleared the same field) are no conflict.
    const std::vector<FieldHead>& heads = entry.second;
    const bool differ = std::any_of(heads.begin(), heads.end(),
                                    [&](const FieldHead& h) { return h.value != heads[0].value; });
    if (differ) out.push_back(entry.first);
  }
  return out;
}

std::vector<FieldVersion> RecordMergeState::allHeadVersions() const {
  std::vector<FieldVersion> out;
  for (const auto& [number, heads] : m_fields) {
    for (const FieldHead& head : heads) out.push_back(head.version);
  }
  sortUnique(out);
  return out;
}

bool RecordMergeState::isDeleted() const {
  if (m_deletes.empty()) return false;
  for (const auto& [number, heads] : m_fields) {
    for (const FieldHead& head : heads) {
      if (!std::binary_search(m_deletedVersions.begin(), m_deletedVersions.end(), head.version)) {
        return false;
      }
    }
  }
  return true;
}

bool RecordMergeState::restoredAfterDelete() const {
  return hasDeletes() && !isDeleted() &&
         !std::includes(m_seenDeletes.begin(), m_seenDeletes.end(), m_deletes.begin(),
                        m_deletes.end());
}

Hlc RecordMergeState::greatestHlc() const {
  Hlc greatest;
  for (const auto& [number, heads] : m_fields) {
    for (const FieldHead& head : heads) greatest = std::max(greatest, head.version.hlc);
  }
  for (const FieldVersion& d : m_deletes) greatest = std::max(greatest, d.hlc);
  return greatest;
}

MergeOutcome applyChange(RecordMergeState& state, const Change& change) {
  MergeOutcome outcome;
  outcome.deletedBefore = state.isDeleted();
  for (const FieldValue& field : change.fields) {
    outcome.applied |= MergeApplier::applyField(state, change, field, outcome);
  }
  if (change.deleted) outcome.applied |= MergeApplier::applyDelete(state, change);
  if (!change.seenDeletes.empty()) outcome.applied |= MergeApplier::applySeenDeletes(state, change);
  outcome.deletedAfter = state.isDeleted();
  return outcome;
}

void stampLocalChange(const RecordMergeState& state, Change& change) {
  for (FieldValue& field : change.fields) {
    field.supersedes.clear();
    const auto it = state.fields().find(field.number);
    if (it == state.fields().end()) continue;
    for (const FieldHead& head : it->second) field.supersedes.push_back(head.version);
  }
  change.deletedVersions.clear();
  change.seenDeletes.clear();
  if (change.deleted) {
    change.deletedVersions = state.allHeadVersions();
  } else {
    change.seenDeletes = state.deletes();
  }
}

}  // namespace opcat::sync
