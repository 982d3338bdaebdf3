// Validation of visits, observations and findings.
#include <set>
#include <string_view>
#include <variant>

#include "domain/finding.h"
#include "domain/limits.h"
#include "domain/observation.h"
#include "domain/validation.h"
#include "domain/validation_checker.h"
#include "domain/visit.h"

namespace opcat::domain {
namespace {

void checkPhase(Checker& c, const VisitPhase& phase) {
  c.requiredEnum("kind", phase.kind);
  c.nonNegative("started_at_ms", phase.startedAtMs);
  c.nonNegative("ended_at_ms", phase.endedAtMs);
  // 0 means "not yet": only two real times can be out of order.
  if (phase.startedAtMs > 0 && phase.endedAtMs > 0) {
    c.notBefore("ended_at_ms", phase.endedAtMs, phase.startedAtMs);
  }
  const std::size_t participants =
      c.bounded("participants", phase.participants.size(), kMaxRepeated);
  for (std::size_t i = 0; i < participants; ++i) {
    const Checker::Scope scope(c, "participants", i);
    c.requiredText("name", phase.participants[i].name, kMaxShortTextChars);
    c.optionalText("position", phase.participants[i].position, kMaxShortTextChars);
  }
  c.optionalText("notes", phase.notes, kMaxLongTextChars);
}

// The answer oneof; field names are those of the proto oneof members.
void checkAnswer(Checker& c, const ObservationAnswer& answer) {
  if (const auto* text = std::get_if<std::string>(&answer)) {
    c.optionalText("text", *text, kMaxLongTextChars);
  } else if (const auto* codes = std::get_if<std::vector<std::string>>(&answer)) {
    const Checker::Scope scope(c, "choices");
    const std::size_t count = c.bounded("codes", codes->size(), kMaxRepeated);
    std::set<std::string_view> seen;
    for (std::size_t i = 0; i < count; ++i) {
      const std::string& code = (*codes)[i];
      c.requiredText(indexed("codes", i), code, kMaxCodeChars);
      if (!code.empty() && !seen.insert(code).second) c.fail(indexed("codes", i), "unique");
    }
  }
}

}  // namespace

std::vector<ValidationError> validate(const Visit& record) {
  Checker c(recordKindName(Visit::kKind), record.id);
  c.requiredId("id", record.id);
  c.requiredId("institution_id", record.institutionId);
  c.optionalId("team_id", record.teamId);
  c.requiredEnum("type", record.type);
  c.optionalText("thematic_focus", record.thematicFocus, kMaxTitleChars);
  c.optionalText("objectives", record.objectives, kMaxLongTextChars);
  c.nonNegative("planned_start_ms", record.plannedStartMs);
  c.nonNegative("planned_end_ms", record.plannedEndMs);
  if (record.plannedEndMs > 0) {
    c.notBefore("planned_end_ms", record.plannedEndMs, record.plannedStartMs);
  }
  const std::size_t phases = c.bounded("phases", record.phases.size(), kMaxRepeated);
  for (std::size_t i = 0; i < phases; ++i) {
    const Checker::Scope scope(c, "phases", i);
    checkPhase(c, record.phases[i]);
  }
  c.requiredEnum("status", record.status);
  c.optionalId("checklist_template_id", record.checklistTemplateId);
  const std::size_t toVerify = c.bounded("recommendation_ids_to_verify",
                                         record.recommendationIdsToVerify.size(), kMaxRepeated);
  for (std::size_t i = 0; i < toVerify; ++i) {
    c.requiredId(indexed("recommendation_ids_to_verify", i), record.recommendationIdsToVerify[i]);
  }
  return std::move(c).take();
}

std::vector<ValidationError> validate(const Observation& record) {
  Checker c(recordKindName(Observation::kKind), record.id);
  c.requiredId("id", record.id);
  c.requiredId("visit_id", record.visitId);
  c.optionalId("question_id", record.questionId);
  // Reports file every observation under an area; for a checklist answer the app copies the
  // question's.
  c.requiredEnum("area", record.area);
  c.place("place", record.place);
  checkAnswer(c, record.answer);
  c.optionalText("notes", record.notes, kMaxLongTextChars);
  c.nonNegative("observed_at_ms", record.observedAtMs);
  c.optionalId("author_monitor_id", record.authorMonitorId);
  return std::move(c).take();
}

std::vector<ValidationError> validate(const Finding& record) {
  Checker c(recordKindName(Finding::kKind), record.id);
  c.requiredId("id", record.id);
  c.requiredId("visit_id", record.visitId);
  c.requiredEnum("area", record.area);
  c.requiredEnum("kind", record.kind);
  c.requiredEnum("severity", record.severity);
  c.requiredEnum("urgency", record.urgency);
  const std::size_t groups =
      c.bounded("affected_groups", record.affectedGroups.size(), kMaxRepeated);
  for (std::size_t i = 0; i < groups; ++i) {
    c.requiredEnum(indexed("affected_groups", i), record.affectedGroups[i]);
  }
  const std::size_t standards = c.bounded("standards", record.standards.size(), kMaxRepeated);
  for (std::size_t i = 0; i < standards; ++i) {
    c.requiredText(indexed("standards", i), record.standards[i], kMaxShortTextChars);
  }
  const std::size_t sources = c.bounded("sources", record.sources.size(), kMaxRepeated);
  for (std::size_t i = 0; i < sources; ++i) {
    const Checker::Scope scope(c, "sources", i);
    c.requiredEnum("kind", record.sources[i].kind);
    c.requiredId("record_id", record.sources[i].recordId);
  }
  c.requiredText("title", record.title, kMaxTitleChars);
  c.optionalText("description", record.description, kMaxLongTextChars);
  c.place("place", record.place);
  c.nonNegative("recorded_at_ms", record.recordedAtMs);
  c.optionalId("author_monitor_id", record.authorMonitorId);
  return std::move(c).take();
}

}  // namespace opcat::domain
