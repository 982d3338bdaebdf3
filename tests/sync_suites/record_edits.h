// What a monitor does to the records of a visit, as the suites script or draw it: create a
// finding, observation, interview or attachment, edit one field of it, delete it. Every edit
// goes through the repositories (validation, record + outbox + history in one transaction), and
// every value it writes is valid whatever other edits it is merged with.
#pragma once

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "core/status.h"
#include "domain/record_kind.h"
#include "storage/tablet_store.h"

namespace opcat::testing {

using Rng = std::mt19937_64;

// The kinds the suites create, and how many editable fields each has.
inline constexpr domain::RecordKind kEditedKinds[] = {
    domain::RecordKind::kFinding, domain::RecordKind::kObservation, domain::RecordKind::kInterview,
    domain::RecordKind::kAttachment};
int editableFieldCount(domain::RecordKind kind);

// Creates a record of `kind` in `visitId`, its texts marked with `tag`. Attachments illustrate
// `ownerId` and carry a few random bytes. Returns the new id.
Result<std::string> createRecord(storage::TabletStore& store, domain::RecordKind kind,
                                 const std::string& visitId, const std::string& ownerId,
                                 const std::string& tag, const std::string& author, Rng& rng);

// Sets editable field number `field` (0 ≤ field < editableFieldCount) of the record to a value
// made from `tag` and `rng`. Returns false, writing nothing, when the record is not live on this
// tablet (never pulled, or deleted here).
Result<bool> editRecord(storage::TabletStore& store, domain::RecordKind kind, const std::string& id,
                        int field, const std::string& tag, const std::string& author, Rng& rng);

// Deletes the record; false when it is not live on this tablet.
Result<bool> deleteRecord(storage::TabletStore& store, domain::RecordKind kind,
                          const std::string& id, const std::string& author);

// Keeps a record brought back by an edit concurrent with its delete, as the app does: saves it
// unchanged. False, writing nothing, when it is not flagged so on this tablet.
Result<bool> keepRestoredRecord(storage::TabletStore& store, domain::RecordKind kind,
                                const std::string& id, const std::string& author);

// Whether the record is held here and not deleted.
bool isLive(storage::TabletStore& store, domain::RecordKind kind, const std::string& id);

}  // namespace opcat::testing
