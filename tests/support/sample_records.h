// Valid, realistic records for tests and benchmarks: what a visiting group records at a
// temporary detention facility (IVS). Texts follow ../shared/GLOSSARY.md.
#pragma once

#include <cstdint>
#include <string>

#include "core/uuid.h"
#include "domain/attachment.h"
#include "domain/finding.h"
#include "domain/interview.h"
#include "domain/recommendation.h"
#include "domain/review_event.h"
#include "domain/visit.h"

namespace opcat::testing {

inline constexpr std::int64_t kSampleTimeMs = 1'764'000'000'000;  // November 2025

inline domain::Visit sampleVisit(const std::string& institutionId = newUuid()) {
  domain::Visit v;
  v.id = newUuid();
  v.institutionId = institutionId;
  v.teamId = newUuid();
  v.type = domain::VisitType::kPeriodic;
  v.announced = false;
  v.objectives = "Проверка условий содержания и соблюдения правовых гарантий в ИВС";
  v.plannedStartMs = kSampleTimeMs;
  v.plannedEndMs = kSampleTimeMs + 6 * 3600 * 1000;
  v.status = domain::VisitStatus::kInProgress;
  return v;
}

inline domain::Finding sampleFinding(const std::string& visitId,
                                     domain::ThematicArea area =
                                         domain::ThematicArea::kMaterialConditions,
                                     domain::Severity severity = domain::Severity::kHigh) {
  domain::Finding f;
  f.id = newUuid();
  f.visitId = visitId;
  f.area = area;
  f.kind = domain::FindingKind::kViolation;
  f.severity = severity;
  f.urgency = domain::Urgency::kPriority;
  f.affectedGroups = {domain::AffectedGroup::kPretrialDetainees};
  f.standards = {"NMR 13-14", "CPT/Inf(2015)44"};
  f.sources = {{domain::SourceKind::kObservation, newUuid()},
               {domain::SourceKind::kInterview, newUuid()}};
  f.title = "Отсутствие вентиляции в камерах ИВС";
  f.description =
      "В камерах №3 и №5 нет естественной вентиляции, окна заварены. Камералардағы ауа "
      "алмасуы жоқ. Температура 31 °C, задержанные жалуются на духоту.";
  f.place = {"Главный корпус", "ИВС", "Камера 3"};
  f.recordedAtMs = kSampleTimeMs;
  f.authorMonitorId = newUuid();
  return f;
}

inline domain::Interview sampleInterview(const std::string& visitId) {
  domain::Interview i;
  i.id = newUuid();
  i.visitId = visitId;
  i.pseudonymCode = "IVS-AST-07";
  i.kind = domain::InterviewKind::kIndividual;
  i.intervieweeCategory = domain::IntervieweeCategory::kPretrial;
  i.consent = {true, false, false, false};
  i.reprisalRisk = domain::ReprisalRisk::kMedium;
  i.notes = "Сообщил, что адвоката допустили только через двое суток после задержания.";
  i.language = domain::Language::kRu;
  i.conductedAtMs = kSampleTimeMs;
  i.authorMonitorId = newUuid();
  return i;
}

inline domain::Recommendation sampleRecommendation(const std::string& visitId,
                                                   const std::string& institutionId,
                                                   domain::RecommendationStatus status =
                                                       domain::RecommendationStatus::kIssued) {
  domain::Recommendation r;
  r.id = newUuid();
  r.visitId = visitId;
  r.institutionId = institutionId;
  r.addressee = domain::RecommendationAddressee::kFacility;
  r.priority = domain::RecommendationPriority::kHigh;
  r.deadlineMs = kSampleTimeMs + 90LL * 24 * 3600 * 1000;
  r.text = "Обеспечить естественную вентиляцию во всех камерах ИВС";
  r.status = status;
  return r;
}

inline domain::Attachment sampleAttachmentMeta(const std::string& visitId,
                                               const std::string& ownerId) {
  domain::Attachment a;
  a.id = newUuid();
  a.visitId = visitId;
  a.ownerRecordId = ownerId;
  a.mediaType = "image/jpeg";
  a.capturedAtMs = kSampleTimeMs;
  a.caption = "Камера 3, окно";
  return a;
}

inline domain::ReviewEvent sampleReviewEvent(const std::string& visitId) {
  domain::ReviewEvent e;
  e.id = newUuid();
  e.visitId = visitId;
  e.state = domain::ReviewState::kReturned;
  e.comment = "Уточните источники по находке о вентиляции";
  e.authorId = newUuid();
  e.atMs = kSampleTimeMs;
  return e;
}

}  // namespace opcat::testing
