#include "admin/people_command.h"

#include <algorithm>
#include <ostream>

#include "admin/record_scan.h"
#include "core/uuid.h"
#include "domain/registry.h"
#include "service/audit_log.h"

namespace opcat::server::admin {
namespace {

constexpr std::string_view kRoleNames[] = {"",       "leader",       "member",     "doctor",
                                           "lawyer", "psychologist", "interpreter"};

std::optional<domain::Language> parseLanguage(std::string_view code) {
  if (code == "kk") return domain::Language::kKk;
  if (code == "ru") return domain::Language::kRu;
  if (code == "en") return domain::Language::kEn;
  return std::nullopt;
}

std::optional<domain::TeamRole> parseRole(std::string_view name) {
  for (std::size_t i = 1; i < std::size(kRoleNames); ++i) {
    if (kRoleNames[i] == name) return static_cast<domain::TeamRole>(i);
  }
  return std::nullopt;
}

int runMonitorAdd(AdminContext& context, const AdminArgs& args) {
  domain::Monitor monitor;
  monitor.id = newUuid();
  monitor.fullName = *args.value("--name");
  monitor.organisation = args.value("--organisation").value_or("");
  monitor.profession = args.value("--profession").value_or("");
  monitor.email = args.value("--email").value_or("");
  monitor.phone = args.value("--phone").value_or("");
  monitor.active = true;
  if (const auto languages = args.value("--languages")) {
    std::string_view rest = *languages;
    while (!rest.empty()) {
      const std::size_t comma = std::min(rest.find(','), rest.size());
      const auto language = parseLanguage(rest.substr(0, comma));
      if (!language) return context.usageError("--languages is a list of kk, ru and en");
      if (std::find(monitor.languages.begin(), monitor.languages.end(), *language) ==
          monitor.languages.end()) {
        monitor.languages.push_back(*language);
      }
      rest.remove_prefix(std::min(comma + 1, rest.size()));
    }
  }

  db::ServerStore* store = context.store();
  if (store == nullptr) return context.openFailureExit();
  const Status written = store->write([&](db::StoreSession& session) -> Status {
    auto outcome = saveMonitor(session, monitor, context.now());
    return outcome ? Status::ok() : outcome.status();
  });
  if (!written) return context.refuse(written.message());
  context.out() << "monitor " << monitor.id << " added\n";
  return kExitOk;
}

int runTeamAdd(AdminContext& context, const AdminArgs& args) {
  domain::Team team;
  team.id = newUuid();
  team.name = *args.value("--name");
  for (const std::string& member : args.values("--member")) {
    const std::size_t colon = member.find(':');
    const std::string monitorId = member.substr(0, colon);
    if (!isUuid(monitorId)) {
      return context.usageError("--member takes MONITOR_ID[:ROLE]; '" + monitorId +
                                "' is not a monitor id");
    }
    domain::TeamRole role = domain::TeamRole::kMember;
    if (colon != std::string::npos) {
      const auto parsed = parseRole(std::string_view(member).substr(colon + 1));
      if (!parsed) {
        return context.usageError(
            "a member's role is leader, member, doctor, lawyer, psychologist or interpreter");
      }
      role = *parsed;
    }
    team.members.push_back({monitorId, role});
  }
  const std::string iso = *args.value("--region");

  db::ServerStore* store = context.store();
  if (store == nullptr) return context.openFailureExit();
  const Status written = store->write([&](db::StoreSession& session) -> Status {
    auto regionId = regionIdByIso(session, iso);
    if (!regionId) return regionId.status();
    if (!*regionId) {
      return Status::error(StatusCode::kNotFound,
                           "no region with ISO code '" + iso + "' (import the registry first)");
    }
    team.regionId = **regionId;
    auto outcome = saveTeam(session, team, context.now());
    return outcome ? Status::ok() : outcome.status();
  });
  if (!written) return context.refuse(written.message());
  context.out() << "team " << team.id << " added (" << team.members.size() << " members, region "
                << iso << ")\n";
  return kExitOk;
}

}  // namespace

Result<WriteOutcome> saveMonitor(db::StoreSession& session, const domain::Monitor& monitor,
                                 std::int64_t nowMs) {
  auto outcome = writeOfficeRecord(session, monitor, nowMs);
  if (!outcome) return outcome;
  if (*outcome != WriteOutcome::kUnchanged) {
    OPCAT_RETURN_IF_ERROR(
        appendAudit(session, nowMs, kAdminActor,
                    *outcome == WriteOutcome::kCreated ? "monitor.added" : "monitor.updated",
                    "monitor=" + monitor.id));
  }
  return outcome;
}

Result<WriteOutcome> saveTeam(db::StoreSession& session, const domain::Team& team,
                              std::int64_t nowMs) {
  std::string memberIds;
  for (const domain::TeamMember& member : team.members) {
    auto monitor = loadLiveRecord<domain::Monitor>(session, member.monitorId);
    if (!monitor) return monitor.status();
    if (!*monitor) {
      return Status::error(StatusCode::kNotFound, "no monitor with id '" + member.monitorId + "'");
    }
    memberIds += (memberIds.empty() ? "" : ",") + member.monitorId + ":" +
                 std::string(kRoleNames[static_cast<std::size_t>(member.role)]);
  }
  auto outcome = writeOfficeRecord(session, team, nowMs);
  if (!outcome) return outcome;
  if (*outcome != WriteOutcome::kUnchanged) {
    OPCAT_RETURN_IF_ERROR(appendAudit(session, nowMs, kAdminActor, "team.saved",
                                      "team=" + team.id + " members=" + memberIds));
  }
  return outcome;
}

Result<std::optional<std::string>> regionIdByIso(db::StoreSession& session,
                                                 std::string_view isoCode) {
  auto regions = sharedRecordsOfKind(session, domain::RecordKind::kRegion);
  if (!regions) return regions.status();
  for (const db::ServerRecord& stored : *regions) {
    auto region = codec::decode<domain::Region>(stored.content);
    if (!region) return region.status();
    if (region->isoCode == isoCode) return std::optional<std::string>(region->id);
  }
  return std::optional<std::string>();
}

AdminCommand monitorAddCommand() {
  return AdminCommand{
      "monitor-add",
      "--name \"Full Name\" [--organisation ORG] [--profession TEXT] [--email ADDRESS] "
      "[--phone NUMBER] [--languages kk,ru,en]",
      "add a monitor (a civil-society member of the NPM); prints the monitor id",
      "  --name TEXT          full name as the monitor writes it\n"
      "  --organisation TEXT  NGO or body the monitor comes from\n"
      "  --profession TEXT    e.g. lawyer, doctor, psychologist\n"
      "  --email, --phone     contact details\n"
      "  --languages LIST     languages the monitor works in: kk, ru, en, comma-separated\n",
      {{"--name", OptionSpec::Kind::kValue, true},
       {"--organisation", OptionSpec::Kind::kValue, false},
       {"--profession", OptionSpec::Kind::kValue, false},
       {"--email", OptionSpec::Kind::kValue, false},
       {"--phone", OptionSpec::Kind::kValue, false},
       {"--languages", OptionSpec::Kind::kValue, false}},
      false,
      &runMonitorAdd};
}

AdminCommand teamAddCommand() {
  return AdminCommand{
      "team-add",
      "--name TEXT --region ISO --member MONITOR_ID[:ROLE] [--member ...]",
      "form a visiting group from monitors; prints the team id",
      "  --name TEXT                  the group's name\n"
      "  --region ISO                 ISO 3166-2 code of its region, e.g. KZ-71 (Astana)\n"
      "  --member MONITOR_ID[:ROLE]   once per member; ROLE is leader, member (default),\n"
      "                               doctor, lawyer, psychologist or interpreter\n"
      "\n"
      "A member's tablets receive the visits planned for the team.\n",
      {{"--name", OptionSpec::Kind::kValue, true},
       {"--region", OptionSpec::Kind::kValue, true},
       {"--member", OptionSpec::Kind::kRepeated, true}},
      false,
      &runTeamAdd};
}

}  // namespace opcat::server::admin
