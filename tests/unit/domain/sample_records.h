// Valid, fully populated example records of every kind (every field set, nested and repeated ones
// included), with the content monitors really write, for the validation and codec tests; and
// the assertion those tests share.
#pragma once

#include <gtest/gtest.h>

#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

#include "domain/access_incident.h"
#include "domain/attachment.h"
#include "domain/document_review.h"
#include "domain/finding.h"
#include "domain/interview.h"
#include "domain/observation.h"
#include "domain/people.h"
#include "domain/recommendation.h"
#include "domain/registry.h"
#include "domain/review_event.h"
#include "domain/validation.h"
#include "domain/visit.h"

namespace opcat::domain::samples {

inline constexpr const char* kRegionId = "5d1c2a3e-7b4f-4c1a-9e2d-1a2b3c4d5e01";
inline constexpr const char* kOtherRegionId = "5d1c2a3e-7b4f-4c1a-9e2d-1a2b3c4d5e02";
inline constexpr const char* kAuthorityId = "6e2d3b4f-8c50-4d2b-8f3e-2b3c4d5e6f02";
inline constexpr const char* kInstitutionId = "7f3e4c50-9d61-4e3c-a04f-3c4d5e6f7003";
inline constexpr const char* kChecklistId = "80405d61-ae72-4f4d-b150-4d5e6f708104";
inline constexpr const char* kQuestionId = "91516e72-bf83-4a5e-8261-5e6f70819205";
inline constexpr const char* kOtherQuestionId = "91516e72-bf83-4a5e-8261-5e6f70819206";
inline constexpr const char* kMonitorId = "a2627f83-c094-4b6f-9372-6f708192a306";
inline constexpr const char* kDoctorId = "a2627f83-c094-4b6f-9372-6f708192a307";
inline constexpr const char* kTeamId = "b3738094-d1a5-4c70-a483-708192a3b407";
inline constexpr const char* kCoordinatorId = "c48491a5-e2b6-4d81-b594-8192a3b4c508";
inline constexpr const char* kVisitId = "d595a2b6-f3c7-4e92-86a5-92a3b4c5d609";
inline constexpr const char* kFollowUpVisitId = "d595a2b6-f3c7-4e92-86a5-92a3b4c5d610";
inline constexpr const char* kObservationId = "e6a6b3c7-04d8-4fa3-97b6-a3b4c5d6e70a";
inline constexpr const char* kFindingId = "f7b7c4d8-15e9-40b4-a8c7-b4c5d6e7f80b";
inline constexpr const char* kInterviewId = "08c8d5e9-26fa-41c5-b9d8-c5d6e7f8090c";
inline constexpr const char* kIdentityId = "19d9e6fa-370b-42d6-8ae9-d6e7f8091a0d";
inline constexpr const char* kDocumentReviewId = "2aeaf70b-481c-43e7-9bfa-e7f8091a2b0e";
inline constexpr const char* kAccessIncidentId = "3bfb081c-592d-44f8-ac0b-f8091a2b3c0f";
inline constexpr const char* kAttachmentId = "4c0c192d-6a3e-4509-bd1c-091a2b3c4d10";
inline constexpr const char* kRecommendationId = "5d1d2a3e-7b4f-461a-8e2d-1a2b3c4d5e11";
inline constexpr const char* kNewRecommendationId = "5d1d2a3e-7b4f-461a-8e2d-1a2b3c4d5e12";
inline constexpr const char* kOldRecommendationId = "5d1d2a3e-7b4f-461a-8e2d-1a2b3c4d5e13";
inline constexpr const char* kRecommendationEventId = "6e2e3b4f-8c50-472b-9f3e-2b3c4d5e6f12";
inline constexpr const char* kReviewEventId = "7f3f4c50-9d61-483c-a04f-3c4d5e6f7013";

inline constexpr std::int64_t kVisitStartMs = 1718013600000;  // 2024-06-10 10:00 UTC
inline constexpr std::int64_t kMinuteMs = 60'000;
inline constexpr std::int64_t kHourMs = 60 * kMinuteMs;

// A distinct canonical UUID for each n, for records that need many ids.
inline std::string uuidFor(unsigned n) {
  char text[37];
  std::snprintf(text, sizeof text, "00000000-0000-4000-8000-%012u", n);
  return text;
}

// `count` copies of a Cyrillic letter: two bytes each, one code point each.
inline std::string cyrillic(std::size_t count) {
  std::string text;
  for (std::size_t i = 0; i < count; ++i) text += "ж";
  return text;
}

template <class T>
T sample();

template <>
inline Region sample<Region>() {
  return Region{kRegionId, "KZ-71", {"Астана қаласы", "город Астана", "Astana (city)"}};
}

template <>
inline Authority sample<Authority>() {
  return Authority{kAuthorityId,
                   "MIA-POLICE",
                   {"Қазақстан Республикасы Ішкі істер министрлігі",
                    "Министерство внутренних дел Республики Казахстан",
                    "Ministry of Internal Affairs of the Republic of Kazakhstan"}};
}

template <>
inline Institution sample<Institution>() {
  Institution i;
  i.id = kInstitutionId;
  i.name = {"Астана қаласы Полиция департаментінің уақытша ұстау изоляторы",
            "Изолятор временного содержания Департамента полиции города Астаны",
            "Temporary detention facility of the Astana Police Department"};
  i.category = InstitutionCategory::kTemporaryDetention;
  i.authorityId = kAuthorityId;
  i.regionId = kRegionId;
  i.address = "г. Астана, район Сарыарка, ул. Ж. Омарова, 12";
  i.capacity = 60;
  i.population = {
      {kVisitStartMs, 42, 39, 3, 1, 4, 2, "беседа с руководством"},
      {kVisitStartMs - 400 * 24 * kHourMs, 55, 50, 5, 0, 2, 1, "отчёт НПМ за 2023 год"},
  };
  i.active = true;
  return i;
}

template <>
inline ChecklistTemplate sample<ChecklistTemplate>() {
  ChecklistTemplate t;
  t.id = kChecklistId;
  t.code = "IVS-2024";
  t.version = 3;
  t.category = InstitutionCategory::kTemporaryDetention;
  t.title = {"Уақытша ұстау изоляторына алдын ала бару сауалнамасы",
             "Анкета превентивного посещения ИВС",
             "Checklist for preventive visits to temporary detention facilities"};
  Question force;
  force.id = kQuestionId;
  force.code = "TRT-03";
  force.area = ThematicArea::kTreatment;
  force.standards = {"NMR 82", "CPT/Inf(2002)15 §41"};
  force.answerType = AnswerType::kYesNo;
  force.text = {"Ұстау кезінде күш қолданғаны туралы шағымдар болды ма?",
                "Поступали ли жалобы на применение силы при задержании?",
                "Were there complaints of force used at arrest?"};
  force.guidance = {"Журналды және медициналық жазбаларды салыстырыңыз.",
                    "Сверьте журнал применения силы с медицинскими записями.",
                    "Compare the use-of-force log with medical records."};
  force.required = true;
  Question air;
  air.id = kOtherQuestionId;
  air.code = "MAT-07";
  air.area = ThematicArea::kMaterialConditions;
  air.standards = {"NMR 13", "CPT/Inf(2015)44"};
  air.answerType = AnswerType::kSingleChoice;
  air.text = {"Камерадағы желдету", "Вентиляция в камере", "Ventilation in the cell"};
  air.options = {
      {"adequate", {"жеткілікті", "достаточная", "adequate"}},
      {"poor", {"нашар", "недостаточная", "poor"}},
      {"none", {"жоқ", "отсутствует", "none"}},
  };
  air.guidance = {"Терезелерді және сорғыштарды тексеріңіз.", "Проверьте окна и вытяжку.",
                  "Check windows and extraction."};
  air.required = false;
  t.questions = {force, air};
  t.active = true;
  return t;
}

template <>
inline Monitor sample<Monitor>() {
  return Monitor{kMonitorId,
                 "Айгерім Сейітқызы Нұрланова",
                 "Қазақстандық адам құқықтары жөніндегі халықаралық бюро",
                 "юрист",
                 {Language::kKk, Language::kRu},
                 "a.nurlanova@example.kz",
                 "+7 701 555 0142",
                 true};
}

template <>
inline Team sample<Team>() {
  return Team{kTeamId,
              "Астана ҰАТ тобы №2",
              kRegionId,
              {{kMonitorId, TeamRole::kLeader}, {kDoctorId, TeamRole::kDoctor}}};
}

template <>
inline Coordinator sample<Coordinator>() {
  return Coordinator{kCoordinatorId,
                     "Ержан Болатұлы Смағұлов",
                     "e.smagulov@example.kz",
                     {kRegionId, kOtherRegionId},
                     true};
}

template <>
inline Visit sample<Visit>() {
  Visit v;
  v.id = kVisitId;
  v.institutionId = kInstitutionId;
  v.teamId = kTeamId;
  v.type = VisitType::kPeriodic;
  v.thematicFocus = "Условия содержания и доступ к медицинской помощи";
  v.announced = true;
  v.objectives =
      "Проверить условия содержания, журналы доставленных и выполнение рекомендаций 2023 года.";
  v.plannedStartMs = kVisitStartMs;
  v.plannedEndMs = kVisitStartMs + 8 * kHourMs;
  v.phases = {
      {VisitPhaseKind::kInitialTalk,
       kVisitStartMs,
       kVisitStartMs + 40 * kMinuteMs,
       {{"Серік Қайратұлы Әбенов", "заместитель начальника ИВС"}, {"Марат Ахметов", "дежурный"}},
       "Наполняемость 42 при лимите 60; предоставлены журналы за 2024 год."},
      {VisitPhaseKind::kTour, kVisitStartMs + 45 * kMinuteMs, 0, {}, "Осмотр камер 1–12."},
  };
  v.status = VisitStatus::kInProgress;
  v.checklistTemplateId = kChecklistId;
  v.recommendationIdsToVerify = {kOldRecommendationId};
  return v;
}

template <>
inline Observation sample<Observation>() {
  Observation o;
  o.id = kObservationId;
  o.visitId = kVisitId;
  o.questionId = kOtherQuestionId;
  o.area = ThematicArea::kMaterialConditions;
  o.place = {"Главный корпус", "1 этаж", "Камера №4"};
  o.answer = std::vector<std::string>{"poor"};
  o.notes = "Вытяжка не работает, окно закрыто металлическим листом; душно, запах сырости.";
  o.observedAtMs = kVisitStartMs + 70 * kMinuteMs;
  o.authorMonitorId = kMonitorId;
  return o;
}

template <>
inline Finding sample<Finding>() {
  Finding f;
  f.id = kFindingId;
  f.visitId = kVisitId;
  f.area = ThematicArea::kMaterialConditions;
  f.kind = FindingKind::kViolation;
  f.severity = Severity::kHigh;
  f.urgency = Urgency::kPriority;
  f.affectedGroups = {AffectedGroup::kPretrialDetainees, AffectedGroup::kWomen};
  f.standards = {"NMR 13", "CPT/Inf(2015)44 §8"};
  f.sources = {{SourceKind::kObservation, kObservationId},
               {SourceKind::kInterview, kInterviewId},
               {SourceKind::kPhoto, kAttachmentId}};
  f.title = "Отсутствие вентиляции в камерах ИВС";
  f.description =
      "В камерах 3–6 вытяжная вентиляция не работает, окна закрыты металлическими листами. "
      "Содержащиеся жалуются на духоту; в камере 4 температура около 31 °C.";
  f.place = {"Главный корпус", "1 этаж", "Камеры 3–6"};
  f.recordedAtMs = kVisitStartMs + 3 * kHourMs;
  f.authorMonitorId = kMonitorId;
  return f;
}

template <>
inline Interview sample<Interview>() {
  Interview i;
  i.id = kInterviewId;
  i.visitId = kVisitId;
  i.pseudonymCode = "IVS-AST-07";
  i.kind = InterviewKind::kIndividual;
  i.intervieweeCategory = IntervieweeCategory::kPretrial;
  i.consent = {true, true, true, true};
  i.reprisalRisk = ReprisalRisk::kMedium;
  i.notes = "Ұсталған кезде ұрып-соғылғанын айтады; дәрігерге бірден жіберілмеген.";
  i.language = Language::kKk;
  i.interpreterUsed = true;
  i.place = {"Главный корпус", "1 этаж", "Комната для свиданий"};
  i.conductedAtMs = kVisitStartMs + 2 * kHourMs;
  i.authorMonitorId = kDoctorId;
  i.groupSize = 1;
  return i;
}

template <>
inline IdentityRecord sample<IdentityRecord>() {
  std::string sealed;
  for (int i = 0; i < 160; ++i) sealed += static_cast<char>((i * 37) & 0xff);  // incl. NUL bytes
  return IdentityRecord{kIdentityId, kInterviewId, sealed, "9f2c4e1a7b3d5f60",
                        kVisitStartMs + 2 * kHourMs + 20 * kMinuteMs};
}

template <>
inline IdentityDetails sample<IdentityDetails>() {
  return IdentityDetails{"Жанболат Ерланұлы Құдайбергенов", "1991-04-17", "жеке куәлік № 041234567",
                         "+7 777 000 1122 (әпкесі)",
                         "Жазаның алдын алу үшін келесі сапарда хабарласу."};
}

template <>
inline DocumentReview sample<DocumentReview>() {
  DocumentReview d;
  d.id = kDocumentReviewId;
  d.visitId = kVisitId;
  d.documentKind = DocumentKind::kCustodyRegister;
  d.title = "Журнал учёта доставленных лиц № 14";
  d.periodFromMs = kVisitStartMs - 30 * 24 * kHourMs;
  d.periodToMs = kVisitStartMs;
  d.summary = "Проверено 118 записей; в 3 случаях время регистрации позже фактического задержания.";
  d.discrepancies = {{"Задержан 14:10, зарегистрирован 21:40", "запись № 117"},
                     {"Нет отметки об уведомлении родственников", "запись № 121"}};
  d.reviewedAtMs = kVisitStartMs + 4 * kHourMs;
  d.authorMonitorId = kMonitorId;
  return d;
}

template <>
inline AccessIncident sample<AccessIncident>() {
  return AccessIncident{kAccessIncidentId,
                        kVisitId,
                        AccessIncidentKind::kEntryDelayed,
                        kVisitStartMs - 45 * kMinuteMs,
                        45,
                        "Группу не пропускали 45 минут, требуя письменного разрешения начальника.",
                        "дежурный по ИВС",
                        kMonitorId};
}

template <>
inline Attachment sample<Attachment>() {
  std::string digest;
  for (int i = 0; i < 32; ++i) digest += static_cast<char>(0xe0 + i);
  return Attachment{kAttachmentId,
                    kVisitId,
                    kFindingId,
                    "image/jpeg",
                    digest,
                    2457600,
                    kVisitStartMs + 75 * kMinuteMs,
                    "Камера №4: окно закрыто металлическим листом"};
}

template <>
inline Recommendation sample<Recommendation>() {
  Recommendation r;
  r.id = kRecommendationId;
  r.visitId = kVisitId;
  r.institutionId = kInstitutionId;
  r.addressee = RecommendationAddressee::kAuthority;
  r.addresseeAuthorityId = kAuthorityId;
  r.priority = RecommendationPriority::kHigh;
  r.deadlineMs = kVisitStartMs + 90 * 24 * kHourMs;
  r.text =
      "Восстановить приточно-вытяжную вентиляцию во всех камерах ИВС и снять металлические "
      "листы с окон.";
  r.findingIds = {kFindingId};
  r.status = RecommendationStatus::kSuperseded;
  r.supersededById = kNewRecommendationId;
  return r;
}

template <>
inline RecommendationEvent sample<RecommendationEvent>() {
  return RecommendationEvent{kRecommendationEventId,
                             kRecommendationId,
                             RecommendationStatus::kPartiallyImplemented,
                             RecommendationEventSource::kFollowUpVisit,
                             "Вытяжка отремонтирована в камерах 3–5; в камере 6 не работает.",
                             kFollowUpVisitId,
                             kMonitorId,
                             kVisitStartMs + 120 * 24 * kHourMs};
}

template <>
inline ReviewEvent sample<ReviewEvent>() {
  return ReviewEvent{kReviewEventId,
                     kVisitId,
                     ReviewState::kReturned,
                     "Вывод о вентиляции: приложите фото камер 5 и 6 и уточните источники.",
                     kCoordinatorId,
                     kVisitStartMs + 5 * 24 * kHourMs};
}

}  // namespace opcat::domain::samples

namespace opcat::domain::test {

inline std::string describe(const std::vector<ValidationError>& errors) {
  if (errors.empty()) return "no errors";
  std::string text;
  for (const ValidationError& error : errors) text += "\n  " + error.toString();
  return text;
}

// Passes when validating `record` gives exactly one error, at `field` by `rule`.
template <class T>
::testing::AssertionResult failsOnly(const T& record, std::string_view field,
                                     std::string_view rule) {
  const std::vector<ValidationError> errors = validate(record);
  if (errors.size() == 1 && errors[0].field == field && errors[0].rule == rule) {
    return ::testing::AssertionSuccess();
  }
  return ::testing::AssertionFailure()
         << "expected only " << field << ": " << rule << ", got " << describe(errors);
}

// Passes when `record` is valid.
template <class T>
::testing::AssertionResult isValid(const T& record) {
  const std::vector<ValidationError> errors = validate(record);
  if (errors.empty()) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << "expected valid, got " << describe(errors);
}

}  // namespace opcat::domain::test
