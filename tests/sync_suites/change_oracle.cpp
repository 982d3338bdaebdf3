#include "change_oracle.h"

#include <algorithm>
#include <limits>

#include "storage/outbox.h"

namespace opcat::testing {
namespace {

std::string describeHead(const HeadDigest& h) {
  return "field " + std::to_string(h.field) + " version " + std::to_string(h.hlc) + "@" +
         h.deviceId.substr(0, 8) + " by " + h.authorId + " (" + std::to_string(h.value.size()) +
         " B)";
}

}  // namespace

Status ChangeOracle::collectOutbox(storage::TabletStore& store) {
  auto entries = storage::Outbox(store).peek(std::numeric_limits<std::int32_t>::max(),
                                             std::numeric_limits<std::size_t>::max());
  if (!entries) return entries.status();
  for (const storage::OutboxEntry& entry : *entries) add(entry.change);
  return Status::ok();
}

void ChangeOracle::add(const sync::Change& change) {
  if (!m_seen.emplace(change.id.deviceId, change.id.sequence).second) return;
  RecordOracle& record = m_records[change.recordId];
  record.kind = change.kind;
  for (const sync::FieldValue& field : change.fields) {
    record.written[field.number][sync::FieldVersion{field.hlc, change.id.deviceId}] =
        Written{field.value, change.authorId};
    record.superseded[field.number].insert(field.supersedes.begin(), field.supersedes.end());
  }
  if (change.deleted) {
    record.deletes.insert(sync::FieldVersion{change.hlc, change.id.deviceId});
    record.seenByDeletes.insert(change.deletedVersions.begin(), change.deletedVersions.end());
  }
  record.deletesSeenByEdits.insert(change.seenDeletes.begin(), change.seenDeletes.end());
}

std::set<HeadDigest> ChangeOracle::RecordOracle::expectedHeads() const {
  std::set<HeadDigest> heads;
  for (const auto& [number, versions] : written) {
    const auto replaced = superseded.find(number);
    for (const auto& [version, value] : versions) {
      if (replaced != superseded.end() && replaced->second.contains(version)) continue;
      heads.insert(
          HeadDigest{number, version.hlc.packed(), version.deviceId, value.authorId, value.value});
    }
  }
  return heads;
}

bool ChangeOracle::RecordOracle::expectedDeleted() const {
  if (deletes.empty()) return false;
  for (const HeadDigest& head : expectedHeads()) {
    if (!seenByDeletes.contains(sync::FieldVersion{sync::Hlc(head.hlc), head.deviceId})) {
      return false;
    }
  }
  return true;
}

bool ChangeOracle::wrote(const std::string& recordId, const HeadDigest& head) const {
  const auto record = m_records.find(recordId);
  if (record == m_records.end()) return false;
  const auto field = record->second.written.find(head.field);
  if (field == record->second.written.end()) return false;
  const auto value = field->second.find(sync::FieldVersion{sync::Hlc(head.hlc), head.deviceId});
  return value != field->second.end() && value->second.value == head.value &&
         value->second.authorId == head.authorId;
}

std::set<std::string> ChangeOracle::expectedFlagged() const {
  std::set<std::string> flagged;
  for (const auto& [id, record] : m_records) {
    const std::set<HeadDigest> heads = record.expectedHeads();
    // A field is in conflict when its heads hold different values (heads that agree, e.g. two
    // tablets clearing the same field, are not shown to people as a conflict).
    std::map<std::uint32_t, std::set<std::string>> valuesPerField;
    for (const HeadDigest& h : heads) valuesPerField[h.field].insert(h.value);
    const bool conflict = std::any_of(valuesPerField.begin(), valuesPerField.end(),
                                      [](const auto& f) { return f.second.size() > 1; });
    // Brought back by an edit concurrent with a delete, until an edit names that delete as seen.
    const bool restored =
        !record.expectedDeleted() &&
        std::any_of(record.deletes.begin(), record.deletes.end(), [&](const auto& d) {
          return !record.deletesSeenByEdits.contains(d);
        });
    if (conflict || restored) flagged.insert(id);
  }
  return flagged;
}

std::vector<std::string> ChangeOracle::check(const StoreDigest& replica,
                                             const std::set<std::string>& othersAllowed) const {
  std::vector<std::string> problems;
  for (const auto& [id, record] : m_records) {
    const std::string name = std::string(domain::recordKindName(record.kind)) + " " + id;
    const auto held = replica.records.find(id);
    if (held == replica.records.end()) {
      problems.push_back(name + ": LOST (the replica does not hold the record)");
      continue;
    }
    const std::set<HeadDigest> expected = record.expectedHeads();
    const std::set<HeadDigest> actual(held->second.heads.begin(), held->second.heads.end());
    for (const HeadDigest& h : expected) {
      if (!actual.contains(h)) problems.push_back(name + ": LOST value, " + describeHead(h));
    }
    for (const HeadDigest& h : actual) {
      if (expected.contains(h)) continue;
      problems.push_back(name +
                         (wrote(id, h) ? ": a REPLACED value is still a head, "
                                       : ": UNEXPECTED head nobody wrote, ") +
                         describeHead(h));
    }
    if (held->second.deleted != record.expectedDeleted()) {
      problems.push_back(name + (held->second.deleted ? ": deleted, but an edit the deleters "
                                                        "had not seen must keep it"
                                                      : ": live, but every head was deleted"));
    }
  }
  for (const auto& [id, record] : replica.records) {
    if (!m_records.contains(id) && !othersAllowed.contains(id)) {
      problems.push_back("UNEXPECTED record no tablet wrote: " + record.describe());
    }
  }
  return problems;
}

}  // namespace opcat::testing
