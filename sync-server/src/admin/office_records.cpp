#include "admin/office_records.h"

#include "service/office_writer.h"

namespace opcat::server::admin {

void WriteCounts::add(WriteOutcome outcome) {
  switch (outcome) {
    case WriteOutcome::kCreated:
      ++created;
      break;
    case WriteOutcome::kUpdated:
      ++updated;
      break;
    case WriteOutcome::kUnchanged:
      ++unchanged;
      break;
  }
}

std::string WriteCounts::text() const {
  return std::to_string(created) + " created, " + std::to_string(updated) + " updated, " +
         std::to_string(unchanged) + " unchanged";
}

Result<WriteOutcome> writeOfficeRecord(db::StoreSession& session, domain::RecordKind kind,
                                       const std::string& id, std::string_view parentId,
                                       std::string content, std::int64_t nowMs) {
  auto existing = session.loadRecord(id);
  if (!existing) return existing.status();
  const bool existed = existing->has_value();
  OfficeEdit edit;
  edit.kind = kind;
  edit.id = id;
  edit.parentId = std::string(parentId);
  edit.content = std::move(content);
  edit.authorId = kAdminActor;
  auto verdict = writeAsOffice(session, edit, nowMs);
  if (!verdict) return verdict.status();
  if (verdict->replay) return WriteOutcome::kUnchanged;
  return existed ? WriteOutcome::kUpdated : WriteOutcome::kCreated;
}

}  // namespace opcat::server::admin
