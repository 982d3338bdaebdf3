// Validation of monitors, visiting groups and coordinators.
#include <set>
#include <string_view>

#include "domain/limits.h"
#include "domain/people.h"
#include "domain/validation.h"
#include "domain/validation_checker.h"

namespace opcat::domain {

std::vector<ValidationError> validate(const Monitor& record) {
  Checker c(recordKindName(Monitor::kKind), record.id);
  c.requiredId("id", record.id);
  c.requiredText("full_name", record.fullName, kMaxShortTextChars);
  c.optionalText("organisation", record.organisation, kMaxShortTextChars);
  c.optionalText("profession", record.profession, kMaxShortTextChars);
  const std::size_t languages = c.bounded("languages", record.languages.size(), kMaxRepeated);
  for (std::size_t i = 0; i < languages; ++i) {
    c.requiredEnum(indexed("languages", i), record.languages[i]);
  }
  c.optionalText("email", record.email, kMaxEmailChars);
  c.optionalText("phone", record.phone, kMaxPhoneChars);
  return std::move(c).take();
}

std::vector<ValidationError> validate(const Team& record) {
  Checker c(recordKindName(Team::kKind), record.id);
  c.requiredId("id", record.id);
  c.requiredText("name", record.name, kMaxShortTextChars);
  c.optionalId("region_id", record.regionId);
  const std::size_t members = c.bounded("members", record.members.size(), kMaxTeamMembers);
  std::set<std::string_view> monitors;
  for (std::size_t i = 0; i < members; ++i) {
    const Checker::Scope scope(c, "members", i);
    const TeamMember& member = record.members[i];
    c.requiredId("monitor_id", member.monitorId);
    // One role per monitor in a team; a doctor who leads is the leader.
    if (!member.monitorId.empty() && !monitors.insert(member.monitorId).second) {
      c.fail("monitor_id", "unique");
    }
    c.requiredEnum("role", member.role);
  }
  return std::move(c).take();
}

std::vector<ValidationError> validate(const Coordinator& record) {
  Checker c(recordKindName(Coordinator::kKind), record.id);
  c.requiredId("id", record.id);
  c.requiredText("full_name", record.fullName, kMaxShortTextChars);
  c.optionalText("email", record.email, kMaxEmailChars);
  const std::size_t regions = c.bounded("region_ids", record.regionIds.size(), kMaxRepeated);
  for (std::size_t i = 0; i < regions; ++i) {
    c.requiredId(indexed("region_ids", i), record.regionIds[i]);
  }
  return std::move(c).take();
}

}  // namespace opcat::domain
