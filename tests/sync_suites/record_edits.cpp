#include "record_edits.h"

#include <vector>

#include "core/uuid.h"
#include "storage/attachment_store.h"
#include "storage/repositories.h"
#include "support/sample_records.h"

namespace opcat::testing {
namespace {

using domain::RecordKind;

template <typename E>
E pick(Rng& rng, int first, int last) {
  return static_cast<E>(std::uniform_int_distribution<int>(first, last)(rng));
}

bool coin(Rng& rng) { return (rng() & 1) != 0; }

domain::PlaceInFacility place(const std::string& tag) {
  return {"Корпус " + tag, "ИВС", "Камера " + tag};
}

// Editable fields of each kind. Values depend only on the tag and the draw, never on the
// record's other fields, so any combination that a merge produces is still valid. (Interview
// kind and group size are checked together, and so are left alone.)
void editFinding(domain::Finding& f, int field, const std::string& tag, Rng& rng) {
  switch (field) {
    case 0:
      f.title = "Находка " + tag;
      break;
    case 1:
      f.description = "Описание " + tag + ": камералардағы ауа алмасуы жоқ.";
      break;
    case 2:
      f.severity = pick<domain::Severity>(rng, 1, 4);
      break;
    case 3:
      f.urgency = pick<domain::Urgency>(rng, 1, 3);
      break;
    case 4:
      f.area = pick<domain::ThematicArea>(rng, 1, 6);
      break;
    case 5:
      f.standards = {"NMR " + tag, "CPT/Inf(2015)44"};
      break;
    case 6:
      f.place = place(tag);
      break;
    case 7:
      f.affectedGroups = {pick<domain::AffectedGroup>(rng, 1, 6),
                          pick<domain::AffectedGroup>(rng, 7, 11)};
      break;
    default:
      f.kind = pick<domain::FindingKind>(rng, 1, 3);
      break;
  }
}

void editObservation(domain::Observation& o, int field, const std::string& tag, Rng& rng) {
  switch (field) {
    case 0:
      o.notes = "Заметка " + tag;
      break;
    case 1:
      o.area = pick<domain::ThematicArea>(rng, 1, 6);
      break;
    case 2:
      o.place = place(tag);
      break;
    // Text answers here; concurrent answers of different types (oneof members) are covered by
    // Convergence.ConcurrentAnswersOfDifferentTypesConverge.
    default:
      o.answer = std::string("Ответ " + tag);
      break;
  }
}

void editInterview(domain::Interview& i, int field, const std::string& tag, Rng& rng) {
  switch (field) {
    case 0:
      i.notes = "Беседа " + tag;
      break;
    case 1:
      i.reprisalRisk = pick<domain::ReprisalRisk>(rng, 1, 4);
      break;
    case 2:
      i.language = pick<domain::Language>(rng, 1, 3);
      break;
    case 3:
      i.pseudonymCode = "P-" + std::to_string(rng() % 1'000'000);
      break;
    case 4:
      i.place = place(tag);
      break;
    case 5:
      i.interpreterUsed = !i.interpreterUsed;
      break;
    default:
      i.consent = {true, coin(rng), coin(rng), coin(rng)};
      break;
  }
}

void editAttachment(domain::Attachment& a, int field, const std::string& tag, Rng& rng) {
  if (field == 0) {
    a.caption = "Фото " + tag;
  } else {
    a.capturedAtMs = kSampleTimeMs + static_cast<std::int64_t>(rng() % 3'600'000);
  }
}

template <typename T, typename Edit>
Result<bool> editAs(storage::TabletStore& store, const std::string& id, int field,
                    const std::string& tag, const std::string& author, Rng& rng, Edit edit) {
  storage::RecordRepository<T> repo(store);
  auto found = repo.find(id);
  if (!found) return found.status();
  if (!*found) return false;
  T record = std::move(**found);
  edit(record, field, tag, rng);
  OPCAT_RETURN_IF_ERROR(repo.save(record, author));
  return true;
}

template <typename T>
Result<bool> deleteAs(storage::TabletStore& store, const std::string& id,
                      const std::string& author) {
  if (!isLive(store, T::kKind, id)) return false;
  OPCAT_RETURN_IF_ERROR(storage::RecordRepository<T>(store).remove(id, author));
  return true;
}

}  // namespace

int editableFieldCount(RecordKind kind) {
  switch (kind) {
    case RecordKind::kFinding:
      return 9;
    case RecordKind::kObservation:
      return 4;
    case RecordKind::kInterview:
      return 7;
    default:
      return 2;
  }
}

Result<std::string> createRecord(storage::TabletStore& store, RecordKind kind,
                                 const std::string& visitId, const std::string& ownerId,
                                 const std::string& tag, const std::string& author, Rng& rng) {
  switch (kind) {
    case RecordKind::kFinding: {
      auto f = sampleFinding(visitId);
      f.title = "Находка " + tag;
      f.severity = pick<domain::Severity>(rng, 1, 4);
      OPCAT_RETURN_IF_ERROR(storage::FindingRepository(store).save(f, author));
      return f.id;
    }
    case RecordKind::kObservation: {
      domain::Observation o;
      o.id = newUuid();
      o.visitId = visitId;
      o.area = pick<domain::ThematicArea>(rng, 1, 6);
      o.place = place(tag);
      o.answer = std::string("Ответ " + tag);
      o.notes = "Заметка " + tag;
      o.observedAtMs = kSampleTimeMs;
      OPCAT_RETURN_IF_ERROR(storage::ObservationRepository(store).save(o, author));
      return o.id;
    }
    case RecordKind::kInterview: {
      auto i = sampleInterview(visitId);
      i.pseudonymCode = "P-" + std::to_string(rng() % 1'000'000);
      i.notes = "Беседа " + tag;
      OPCAT_RETURN_IF_ERROR(storage::InterviewRepository(store).save(i, author));
      return i.id;
    }
    default: {
      auto meta = sampleAttachmentMeta(visitId, ownerId.empty() ? newUuid() : ownerId);
      meta.caption = "Фото " + tag;
      std::vector<std::uint8_t> bytes(64 + rng() % 512);
      for (auto& b : bytes) b = static_cast<std::uint8_t>(rng());
      auto added = storage::AttachmentStore(store).addBytes(meta, bytes, author);
      if (!added) return added.status();
      return added->id;
    }
  }
}

Result<bool> editRecord(storage::TabletStore& store, RecordKind kind, const std::string& id,
                        int field, const std::string& tag, const std::string& author, Rng& rng) {
  switch (kind) {
    case RecordKind::kFinding:
      return editAs<domain::Finding>(store, id, field, tag, author, rng, editFinding);
    case RecordKind::kObservation:
      return editAs<domain::Observation>(store, id, field, tag, author, rng, editObservation);
    case RecordKind::kInterview:
      return editAs<domain::Interview>(store, id, field, tag, author, rng, editInterview);
    default:
      return editAs<domain::Attachment>(store, id, field, tag, author, rng, editAttachment);
  }
}

Result<bool> deleteRecord(storage::TabletStore& store, RecordKind kind, const std::string& id,
                          const std::string& author) {
  switch (kind) {
    case RecordKind::kFinding:
      return deleteAs<domain::Finding>(store, id, author);
    case RecordKind::kObservation:
      return deleteAs<domain::Observation>(store, id, author);
    case RecordKind::kInterview:
      return deleteAs<domain::Interview>(store, id, author);
    default:
      return deleteAs<domain::Attachment>(store, id, author);
  }
}

Result<bool> keepRestoredRecord(storage::TabletStore& store, RecordKind kind,
                                const std::string& id, const std::string& author) {
  auto stored = store.read(kind, id);
  if (!stored) return stored.status();
  if (!*stored || !(*stored)->state.merge.restoredAfterDelete()) {  // flagged means live too
    return false;
  }
  OPCAT_RETURN_IF_ERROR(store.write(storage::RecordWrite{
      kind, id, (*stored)->parentId, (*stored)->state.content, author, false, {}}));
  return true;
}

bool isLive(storage::TabletStore& store, RecordKind kind, const std::string& id) {
  auto stored = store.read(kind, id);
  return stored.isOk() && stored->has_value() && !(*stored)->deleted;
}

}  // namespace opcat::testing
