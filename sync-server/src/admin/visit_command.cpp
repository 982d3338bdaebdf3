#include "admin/visit_command.h"

#include <optional>
#include <ostream>

#include "admin/time_text.h"
#include "core/uuid.h"
#include "domain/people.h"
#include "domain/registry.h"
#include "service/audit_log.h"

namespace opcat::server::admin {
namespace {

std::optional<domain::VisitType> parseType(std::string_view text) {
  if (text == "periodic") return domain::VisitType::kPeriodic;
  if (text == "intermediate") return domain::VisitType::kIntermediate;
  if (text == "special") return domain::VisitType::kSpecial;
  return std::nullopt;
}

Status notFound(std::string message) {
  return Status::error(StatusCode::kNotFound, std::move(message));
}

int runPlanVisit(AdminContext& context, const AdminArgs& args) {
  domain::Visit visit;
  visit.id = newUuid();
  visit.status = domain::VisitStatus::kPlanned;
  visit.institutionId = *args.value("--institution");
  visit.teamId = *args.value("--team");
  if (!isUuid(visit.institutionId)) return context.usageError("--institution must be an id");
  if (!isUuid(visit.teamId)) return context.usageError("--team must be an id");
  const auto type = parseType(*args.value("--type"));
  if (!type) return context.usageError("--type must be periodic, intermediate or special");
  visit.type = *type;
  visit.announced = args.flag("--announced");
  auto start = parseAdminTime(*args.value("--start"));
  if (!start) return context.usageError("--start: " + start.status().message());
  visit.plannedStartMs = *start;
  if (const auto endText = args.value("--end")) {
    auto end = parseAdminTime(*endText);
    if (!end) return context.usageError("--end: " + end.status().message());
    if (*end < *start) return context.usageError("--end is before --start");
    visit.plannedEndMs = *end;
  }
  visit.objectives = *args.value("--objectives");
  visit.thematicFocus = args.value("--focus").value_or("");
  visit.checklistTemplateId = args.value("--checklist").value_or("");
  if (!visit.checklistTemplateId.empty() && !isUuid(visit.checklistTemplateId)) {
    return context.usageError("--checklist must be a checklist template id");
  }

  db::ServerStore* store = context.store();
  if (store == nullptr) return context.openFailureExit();
  const Status written = store->write([&](db::StoreSession& session) -> Status {
    auto outcome = saveVisit(session, visit, context.now());
    return outcome ? Status::ok() : outcome.status();
  });
  if (!written) return context.refuse(written.message());
  context.out() << "visit " << visit.id << " planned (" << *args.value("--type")
                << (visit.announced ? ", announced" : ", unannounced") << ", starts "
                << formatAdminTime(visit.plannedStartMs) << ")\n";
  return kExitOk;
}

}  // namespace

Result<WriteOutcome> saveVisit(db::StoreSession& session, const domain::Visit& visit,
                               std::int64_t nowMs) {
  auto institution = loadLiveRecord<domain::Institution>(session, visit.institutionId);
  if (!institution) return institution.status();
  if (!*institution) return notFound("no institution with id '" + visit.institutionId + "'");
  auto team = loadLiveRecord<domain::Team>(session, visit.teamId);
  if (!team) return team.status();
  if (!*team) return notFound("no team with id '" + visit.teamId + "'");
  if (!visit.checklistTemplateId.empty()) {
    auto checklist = loadLiveRecord<domain::ChecklistTemplate>(session, visit.checklistTemplateId);
    if (!checklist) return checklist.status();
    if (!*checklist) {
      return notFound("no checklist template with id '" + visit.checklistTemplateId + "'");
    }
    if ((*checklist)->category != (*institution)->category) {
      return Status::error(StatusCode::kInvalidArgument,
                           "checklist " + (*checklist)->code +
                               " is for another category of institution than " +
                               visit.institutionId);
    }
  }
  auto outcome = writeOfficeRecord(session, visit, nowMs);
  if (!outcome) return outcome;
  if (*outcome != WriteOutcome::kUnchanged) {
    OPCAT_RETURN_IF_ERROR(appendAudit(session, nowMs, kAdminActor, "visit.planned",
                                      "visit=" + visit.id + " team=" + visit.teamId));
  }
  return outcome;
}

AdminCommand planVisitCommand() {
  return AdminCommand{
      "plan-visit",
      "--institution ID --team ID --type periodic|intermediate|special [--announced] "
      "--start YYYY-MM-DDTHH:MM [--end YYYY-MM-DDTHH:MM] --objectives TEXT "
      "[--checklist TEMPLATE_ID] [--focus TEXT]",
      "plan a preventive visit (status PLANNED); prints the visit id",
      "  --institution ID     the institution to visit\n"
      "  --team ID            the visiting group; its members' tablets receive the visit\n"
      "  --type TYPE          periodic, intermediate (follows up earlier recommendations) or\n"
      "                       special (in reaction to information received)\n"
      "  --announced          the institution is told in advance (default: unannounced)\n"
      "  --start, --end TIME  YYYY-MM-DDTHH:MM in Almaty time (UTC+5), or with a final Z\n"
      "                       (YYYY-MM-DDTHH:MMZ) in UTC; --end is optional\n"
      "  --objectives TEXT    what the visit is to establish\n"
      "  --checklist ID       the checklist template to use (for the institution's category)\n"
      "  --focus TEXT         a thematic focus, e.g. healthcare\n",
      {{"--institution", OptionSpec::Kind::kValue, true},
       {"--team", OptionSpec::Kind::kValue, true},
       {"--type", OptionSpec::Kind::kValue, true},
       {"--announced", OptionSpec::Kind::kFlag, false},
       {"--start", OptionSpec::Kind::kValue, true},
       {"--end", OptionSpec::Kind::kValue, false},
       {"--objectives", OptionSpec::Kind::kValue, true},
       {"--checklist", OptionSpec::Kind::kValue, false},
       {"--focus", OptionSpec::Kind::kValue, false}},
      false,
      &runPlanVisit};
}

}  // namespace opcat::server::admin
