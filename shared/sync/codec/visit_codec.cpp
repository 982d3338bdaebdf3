// Visits, observations and findings to and from their opcat.v1 messages.
#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include "sync/codec/record_proto.h"

namespace opcat::codec {
namespace {

v1::VisitPhase toProto(const domain::VisitPhase& phase) {
  v1::VisitPhase p;
  p.set_kind(static_cast<v1::VisitPhaseKind>(phase.kind));
  p.set_started_at_ms(phase.startedAtMs);
  p.set_ended_at_ms(phase.endedAtMs);
  for (const domain::PhaseParticipant& participant : phase.participants) {
    v1::PhaseParticipant* pp = p.add_participants();
    pp->set_name(participant.name);
    pp->set_position(participant.position);
  }
  p.set_notes(phase.notes);
  return p;
}

domain::VisitPhase fromProto(const v1::VisitPhase& p) {
  domain::VisitPhase phase;
  phase.kind = static_cast<domain::VisitPhaseKind>(p.kind());
  phase.startedAtMs = p.started_at_ms();
  phase.endedAtMs = p.ended_at_ms();
  phase.participants.reserve(static_cast<std::size_t>(p.participants_size()));
  for (const v1::PhaseParticipant& participant : p.participants()) {
    phase.participants.push_back(
        domain::PhaseParticipant{participant.name(), participant.position()});
  }
  phase.notes = p.notes();
  return phase;
}

// The answer oneof: exactly the member the variant holds is set, none for monostate.
void setAnswer(const domain::ObservationAnswer& answer, v1::Observation& p) {
  if (const auto* yesNo = std::get_if<bool>(&answer)) {
    p.set_yes_no(*yesNo);
  } else if (const auto* number = std::get_if<std::int64_t>(&answer)) {
    p.set_number(*number);
  } else if (const auto* text = std::get_if<std::string>(&answer)) {
    p.set_text(*text);
  } else if (const auto* codes = std::get_if<std::vector<std::string>>(&answer)) {
    p.mutable_choices()->mutable_codes()->Add(codes->begin(), codes->end());
  }
}

domain::ObservationAnswer answerOf(const v1::Observation& p) {
  switch (p.answer_case()) {
    case v1::Observation::kYesNo:
      return p.yes_no();
    case v1::Observation::kNumber:
      return p.number();
    case v1::Observation::kText:
      return p.text();
    case v1::Observation::kChoices:
      return std::vector<std::string>(p.choices().codes().begin(), p.choices().codes().end());
    case v1::Observation::ANSWER_NOT_SET:
      break;
  }
  return std::monostate{};
}

}  // namespace

v1::Visit toProto(const domain::Visit& record) {
  v1::Visit p;
  p.set_id(record.id);
  p.set_institution_id(record.institutionId);
  p.set_team_id(record.teamId);
  p.set_type(static_cast<v1::VisitType>(record.type));
  p.set_thematic_focus(record.thematicFocus);
  p.set_announced(record.announced);
  p.set_objectives(record.objectives);
  p.set_planned_start_ms(record.plannedStartMs);
  p.set_planned_end_ms(record.plannedEndMs);
  for (const domain::VisitPhase& phase : record.phases) *p.add_phases() = toProto(phase);
  p.set_status(static_cast<v1::VisitStatus>(record.status));
  p.set_checklist_template_id(record.checklistTemplateId);
  p.mutable_recommendation_ids_to_verify()->Add(record.recommendationIdsToVerify.begin(),
                                                record.recommendationIdsToVerify.end());
  return p;
}

domain::Visit fromProto(const v1::Visit& record) {
  domain::Visit d;
  d.id = record.id();
  d.institutionId = record.institution_id();
  d.teamId = record.team_id();
  d.type = static_cast<domain::VisitType>(record.type());
  d.thematicFocus = record.thematic_focus();
  d.announced = record.announced();
  d.objectives = record.objectives();
  d.plannedStartMs = record.planned_start_ms();
  d.plannedEndMs = record.planned_end_ms();
  d.phases.reserve(static_cast<std::size_t>(record.phases_size()));
  for (const v1::VisitPhase& phase : record.phases()) d.phases.push_back(fromProto(phase));
  d.status = static_cast<domain::VisitStatus>(record.status());
  d.checklistTemplateId = record.checklist_template_id();
  d.recommendationIdsToVerify.assign(record.recommendation_ids_to_verify().begin(),
                                     record.recommendation_ids_to_verify().end());
  return d;
}

v1::Observation toProto(const domain::Observation& record) {
  v1::Observation p;
  p.set_id(record.id);
  p.set_visit_id(record.visitId);
  p.set_question_id(record.questionId);
  p.set_area(static_cast<v1::ThematicArea>(record.area));
  if (!record.place.empty()) *p.mutable_place() = toProto(record.place);
  setAnswer(record.answer, p);
  p.set_notes(record.notes);
  p.set_observed_at_ms(record.observedAtMs);
  p.set_author_monitor_id(record.authorMonitorId);
  return p;
}

domain::Observation fromProto(const v1::Observation& record) {
  domain::Observation d;
  d.id = record.id();
  d.visitId = record.visit_id();
  d.questionId = record.question_id();
  d.area = static_cast<domain::ThematicArea>(record.area());
  d.place = fromProto(record.place());
  d.answer = answerOf(record);
  d.notes = record.notes();
  d.observedAtMs = record.observed_at_ms();
  d.authorMonitorId = record.author_monitor_id();
  return d;
}

v1::Finding toProto(const domain::Finding& record) {
  v1::Finding p;
  p.set_id(record.id);
  p.set_visit_id(record.visitId);
  p.set_area(static_cast<v1::ThematicArea>(record.area));
  p.set_kind(static_cast<v1::FindingKind>(record.kind));
  p.set_severity(static_cast<v1::Severity>(record.severity));
  p.set_urgency(static_cast<v1::Urgency>(record.urgency));
  for (domain::AffectedGroup group : record.affectedGroups) {
    p.add_affected_groups(static_cast<v1::AffectedGroup>(group));
  }
  p.mutable_standards()->Add(record.standards.begin(), record.standards.end());
  for (const domain::SourceLink& source : record.sources) {
    v1::SourceLink* s = p.add_sources();
    s->set_kind(static_cast<v1::SourceKind>(source.kind));
    s->set_record_id(source.recordId);
  }
  p.set_title(record.title);
  p.set_description(record.description);
  if (!record.place.empty()) *p.mutable_place() = toProto(record.place);
  p.set_recorded_at_ms(record.recordedAtMs);
  p.set_author_monitor_id(record.authorMonitorId);
  return p;
}

domain::Finding fromProto(const v1::Finding& record) {
  domain::Finding d;
  d.id = record.id();
  d.visitId = record.visit_id();
  d.area = static_cast<domain::ThematicArea>(record.area());
  d.kind = static_cast<domain::FindingKind>(record.kind());
  d.severity = static_cast<domain::Severity>(record.severity());
  d.urgency = static_cast<domain::Urgency>(record.urgency());
  d.affectedGroups.reserve(static_cast<std::size_t>(record.affected_groups_size()));
  for (int group : record.affected_groups()) {
    d.affectedGroups.push_back(static_cast<domain::AffectedGroup>(group));
  }
  d.standards.assign(record.standards().begin(), record.standards().end());
  d.sources.reserve(static_cast<std::size_t>(record.sources_size()));
  for (const v1::SourceLink& source : record.sources()) {
    d.sources.push_back(
        domain::SourceLink{static_cast<domain::SourceKind>(source.kind()), source.record_id()});
  }
  d.title = record.title();
  d.description = record.description();
  d.place = fromProto(record.place());
  d.recordedAtMs = record.recorded_at_ms();
  d.authorMonitorId = record.author_monitor_id();
  return d;
}

}  // namespace opcat::codec
