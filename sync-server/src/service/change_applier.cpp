#include "service/change_applier.h"

#include <sodium.h>

#include "crypto/attachment_stream.h"
#include "domain/attachment.h"
#include "domain/people.h"
#include "domain/review_event.h"
#include "domain/visit.h"
#include "sync/codec/change_codec.h"
#include "sync/codec/merged_content.h"
#include "sync/codec/record_codec.h"
#include "sync/codec/record_fields.h"
#include "sync/codec/record_validation.h"
#include "sync/merge.h"

namespace opcat::server {
namespace {

using domain::RecordKind;

bool isRegistryOrPeople(RecordKind k) {
  return k == RecordKind::kRegion || k == RecordKind::kAuthority ||
         k == RecordKind::kInstitution || k == RecordKind::kChecklistTemplate ||
         k == RecordKind::kMonitor || k == RecordKind::kTeam || k == RecordKind::kCoordinator;
}

std::string describe(const sync::Change& c) {
  return std::string(domain::recordKindName(c.kind)) + " " + c.recordId;
}

// The scope of a new record: the visit it belongs to, found through its parent. Sets
// `deviceMaySee` when it already established that the device `actor` may see that scope.
Result<std::string> scopeOfNewRecord(db::StoreSession& session, const Actor& actor,
                                     const sync::Change& change, ChangeVerdict& verdict,
                                     bool& deviceMaySee) {
  switch (change.kind) {
    case RecordKind::kCoordinator: return std::string(db::kScopeOfficeOnly);
    case RecordKind::kVisit: return change.recordId;
    default: break;
  }
  if (isRegistryOrPeople(change.kind)) return std::string(db::kScopeAllDevices);
  // IdentityRecord → Interview; RecommendationEvent → Recommendation; the rest → Visit.
  const RecordKind parentKind = change.kind == RecordKind::kIdentityRecord
                                    ? RecordKind::kInterview
                                : change.kind == RecordKind::kRecommendationEvent
                                    ? RecordKind::kRecommendation
                                    : RecordKind::kVisit;
  if (parentKind == RecordKind::kVisit && actor.kind == Actor::Kind::kDevice) {
    // A tablet's new record in a visit of its teams, the common case: the access index answers
    // without loading the visit. Its rows are written only with a Visit record (updateIndexes),
    // in the same transaction, and a visit's scope is its own id, so a hit means the parent is
    // a known Visit with scope parentId. A miss takes the full path for the exact verdict.
    auto visible = session.monitorMaySeeVisit(actor.monitorId, change.parentId);
    if (!visible) return visible.status();
    if (*visible) {
      deviceMaySee = true;
      return change.parentId;
    }
  }
  auto parent = session.loadRecord(change.parentId);
  if (!parent) return parent.status();
  if (!*parent || (*parent)->kind != parentKind) {
    verdict = ChangeVerdict::reject(
        ProblemCode::kUnknownParent,
        describe(change) + ": its parent " + std::string(domain::recordKindName(parentKind)) +
            " '" + change.parentId + "' is not known to the server");
    return std::string();
  }
  return (*parent)->scope;
}

// Keeps the indexes that access control reads in step with Visit, Team and Attachment records.
Status updateIndexes(db::StoreSession& session, const db::ServerRecord& record) {
  switch (record.kind) {
    case RecordKind::kVisit: {
      auto visit = codec::decode<domain::Visit>(record.content);
      if (!visit) return visit.status();
      return session.setVisitTeam(record.id, visit->teamId);
    }
    case RecordKind::kTeam: {
      auto team = codec::decode<domain::Team>(record.content);
      if (!team) return team.status();
      std::vector<std::string> members;
      if (!record.deleted) {
        for (const auto& m : team->members) members.push_back(m.monitorId);
      }
      return session.setTeamMembers(record.id, members);
    }
    case RecordKind::kAttachment: {
      auto attachment = codec::decode<domain::Attachment>(record.content);
      if (!attachment) return attachment.status();
      const std::string hex = crypto::toHex(std::span(
          reinterpret_cast<const std::uint8_t*>(attachment->sha256.data()),
          attachment->sha256.size()));
      return session.setAttachmentBlob(record.id, hex, record.scope);
    }
    default: return Status::ok();
  }
}

// Merges `change` into `record`, rebuilds the content from the fields whose current value
// changed, and validates it. `content` and `valid` hold the outcome; the record's merge state
// and deleted flag are updated.
void mergeInto(db::ServerRecord& record, const sync::Change& change, Result<std::string>& content,
               Status& valid) {
  const sync::MergeOutcome outcome = sync::applyChange(record.merge, change);
  record.deleted = record.merge.isDeleted();
  valid = Status::ok();
  if (record.deleted) {  // a tombstone's content need not be valid
    content = codec::rebuildContent(change.kind, record.content, record.merge,
                                    outcome.currentChanged);
    return;
  }
  // Validated from the rebuilt record before it is serialized: one parse fewer per change.
  content = codec::rebuildValidatedContent(change.kind, record.content, record.merge,
                                           outcome.currentChanged, valid);
}

// Whether an edit whose merged record failed validation is kept all the same: it edits a record
// the server holds, and only rules that tie fields together are broken. Each tablet validated
// its own edit, so such a break comes from merging concurrent edits (one tablet makes an
// interview a group, another sets its size to 1), and the tablets keep that merge: refusing
// the edit would leave it on its own tablet and lose it everywhere else. A new record is its
// sender's alone and must pass every rule. Costs a second parse, on this rare path only.
bool keptDespiteLinkedRules(const sync::Change& change, bool existed,
                            const db::ServerRecord& merged) {
  return existed &&
         codec::validateEncodedRecord(change.kind, merged.content, codec::RuleSet::kEachField)
             .isOk();
}

}  // namespace

PreparedChange prepareChange(const sync::Change& change) {
  PreparedChange prepared;
  prepared.encoded = codec::encodeChange(change);
  db::ServerRecord fresh;
  mergeInto(fresh, change, prepared.content, prepared.valid);
  if (prepared.content && prepared.valid.isOk()) {
    prepared.storedMerge = db::storedMergeState(fresh.merge, *prepared.content);
  }
  prepared.merge = std::move(fresh.merge);
  return prepared;
}

Result<ChangeVerdict> applyChange(db::StoreSession& session, const Actor& actor,
                                  const sync::Change& change, PreparedChange* prepared) {
  if (actor.kind == Actor::Kind::kDevice && change.id.deviceId != actor.deviceId) {
    return ChangeVerdict::reject(ProblemCode::kForbidden,
                                 describe(change) + ": a device may push only its own changes");
  }
  auto applied = session.isApplied(change.id.deviceId, change.id.sequence);
  if (!applied) return applied.status();
  if (*applied) return ChangeVerdict{true, true, ProblemCode::kInvalidChange, {}, 0};

  if (actor.kind == Actor::Kind::kDevice && isRegistryOrPeople(change.kind)) {
    return ChangeVerdict::reject(ProblemCode::kReadOnlyForDevices,
                                 describe(change) + ": tablets cannot change this kind of record");
  }

  auto existing = session.loadRecord(change.recordId);
  if (!existing) return existing.status();
  db::ServerRecord record;
  bool deviceMaySee = false;  // the device's access to record.scope is already established
  if (*existing) {
    record = std::move(**existing);
    if (record.kind != change.kind) {
      return ChangeVerdict::reject(ProblemCode::kKindChanged,
                                   describe(change) + ": the id belongs to a " +
                                       std::string(domain::recordKindName(record.kind)));
    }
    if (record.parentId != change.parentId) {
      return ChangeVerdict::reject(ProblemCode::kParentChanged,
                                   describe(change) + ": cannot move from parent '" +
                                       record.parentId + "' to '" + change.parentId + "'");
    }
    if (domain::isAppendOnly(change.kind)) {
      return ChangeVerdict::reject(ProblemCode::kAppendOnly,
                                   describe(change) + ": append-only and already written");
    }
  } else {
    if (actor.kind == Actor::Kind::kDevice && change.kind == RecordKind::kVisit) {
      return ChangeVerdict::reject(ProblemCode::kForbidden,
                                   describe(change) + ": visits are planned by the office");
    }
    if (change.deleted) {
      return ChangeVerdict::reject(ProblemCode::kNotFound,
                                   describe(change) + ": deleting a record the server never had");
    }
    ChangeVerdict parentVerdict{true, false, ProblemCode::kInvalidChange, {}, 0};
    auto scope = scopeOfNewRecord(session, actor, change, parentVerdict, deviceMaySee);
    if (!scope) return scope.status();
    if (!parentVerdict.accepted) return parentVerdict;
    record.kind = change.kind;
    record.id = change.recordId;
    record.parentId = change.parentId;
    record.scope = std::move(scope).value();
  }

  if (actor.kind == Actor::Kind::kDevice && !deviceMaySee) {
    auto visible = session.monitorMaySeeVisit(actor.monitorId, record.scope);
    if (!visible) return visible.status();
    if (!*visible) {
      return ChangeVerdict::reject(ProblemCode::kForbidden,
                                   describe(change) + ": not in a visit of this monitor's teams");
    }
  }

  // Merge, then rebuild the content from the fields whose current value changed. A new
  // record's outcome depends on the change alone, so it may have been prepared already.
  Result<std::string> content = std::string();
  Status valid;
  std::string computedMerge;
  std::string_view storedMerge;
  const bool fromPrepared = !*existing && prepared != nullptr;
  if (fromPrepared) {
    record.merge = std::move(prepared->merge);
    record.deleted = record.merge.isDeleted();
    content = std::move(prepared->content);
    valid = std::move(prepared->valid);
    storedMerge = prepared->storedMerge;
  } else {
    mergeInto(record, change, content, valid);
    // Also when validation failed: a merge that breaks only a rule between fields is kept.
    if (content) computedMerge = db::storedMergeState(record.merge, *content);
    storedMerge = computedMerge;
  }
  if (!content) {
    return ChangeVerdict::reject(ProblemCode::kInvalidChange,
                                 describe(change) + ": " + content.status().message());
  }
  record.content = std::move(content).value();
  if (!valid.isOk() && !keptDespiteLinkedRules(change, existing->has_value(), record)) {
    return ChangeVerdict::reject(ProblemCode::kValidationFailed, valid.message());
  }
  if (actor.kind == Actor::Kind::kDevice && change.kind == RecordKind::kReviewEvent) {
    auto event = codec::decode<domain::ReviewEvent>(record.content);
    if (!event) return event.status();
    if (event->state != domain::ReviewState::kSubmitted) {
      return ChangeVerdict::reject(ProblemCode::kForbidden,
                                   describe(change) + ": only the office returns or approves");
    }
  }

  OPCAT_RETURN_IF_ERROR(session.saveRecord(record, storedMerge));
  OPCAT_RETURN_IF_ERROR(updateIndexes(session, record));
  auto seq = session.appendToLog(record.scope, change.id.deviceId,
                                 prepared != nullptr ? prepared->encoded
                                                     : codec::encodeChange(change));
  if (!seq) return seq.status();
  OPCAT_RETURN_IF_ERROR(session.markApplied(change.id.deviceId, change.id.sequence));
  if (fromPrepared) {
    // Hands the prepared memory back to the thread that allocated it, which frees it with its
    // job: freed here, on the single writer, it went through the allocator's cross-thread path
    // (about a sixth of applyChange in a profile of a bulk push).
    prepared->merge = std::move(record.merge);
    prepared->content = std::move(record.content);
  }
  return ChangeVerdict{true, false, ProblemCode::kInvalidChange, {}, *seq};
}

}  // namespace opcat::server
