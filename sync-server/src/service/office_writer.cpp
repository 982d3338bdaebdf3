#include "service/office_writer.h"

#include <algorithm>

#include "core/uuid.h"
#include "sync/codec/record_fields.h"
#include "sync/hlc.h"
#include "sync/merge.h"

namespace opcat::server {

Result<std::string> officeDeviceId(db::StoreSession& session) {
  auto id = session.setting("office_device_id");
  if (!id) return id.status();
  if (*id) return **id;
  const std::string fresh = newUuid();
  OPCAT_RETURN_IF_ERROR(session.putSetting("office_device_id", fresh));
  return fresh;
}

Result<ChangeVerdict> writeAsOffice(db::StoreSession& session, const OfficeEdit& edit,
                                    std::int64_t nowMs) {
  auto device = officeDeviceId(session);
  if (!device) return device.status();
  auto existing = session.loadRecord(edit.id);
  if (!existing) return existing.status();

  sync::Change change;
  if (edit.deleted) {
    change.deleted = true;
  } else {
    const std::string before = *existing ? (*existing)->content : std::string();
    auto fields = codec::diffFields(edit.kind, before, edit.content);
    if (!fields) return fields.status();
    if (fields->empty() && !(*existing && (*existing)->deleted)) {
      return ChangeVerdict{true, true, ProblemCode::kInvalidChange, {}, 0};
    }
    change.fields = std::move(fields).value();
  }

  // The office's clock: wall time, but always after everything the record already holds and
  // after the office's previous change, so its edits replace what it saw.
  const sync::RecordMergeState merge = *existing ? (*existing)->merge : sync::RecordMergeState{};
  auto lastHlc = session.setting("office_last_hlc");
  auto lastSeq = session.setting("office_last_seq");
  if (!lastHlc || !lastSeq) return !lastHlc ? lastHlc.status() : lastSeq.status();
  sync::HybridClock clock([nowMs] { return nowMs; },
                          sync::Hlc(*lastHlc ? std::stoull(**lastHlc) : 0));
  clock.observe(merge.greatestHlc());
  const sync::Hlc hlc = clock.now();
  const std::uint64_t seq = (*lastSeq ? std::stoull(**lastSeq) : 0) + 1;
  OPCAT_RETURN_IF_ERROR(session.putSetting("office_last_hlc", std::to_string(hlc.packed())));
  OPCAT_RETURN_IF_ERROR(session.putSetting("office_last_seq", std::to_string(seq)));

  change.id = {*device, seq};
  change.kind = edit.kind;
  change.recordId = edit.id;
  change.parentId = edit.parentId;
  change.hlc = hlc;
  change.authorId = edit.authorId;
  for (auto& f : change.fields) f.hlc = hlc;
  sync::stampLocalChange(merge, change);

  auto verdict = applyChange(session, Actor{Actor::Kind::kOffice, *device, {}}, change);
  if (!verdict) return verdict.status();
  if (!verdict->accepted) return Status::error(StatusCode::kInvalidArgument, verdict->reason);
  return verdict;
}

}  // namespace opcat::server
