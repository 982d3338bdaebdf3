// Validation of visits, observations and findings.
#include <gtest/gtest.h>

#include "domain/finding.h"
#include "domain/limits.h"
#include "domain/observation.h"
#include "domain/validation.h"
#include "domain/visit.h"
#include "sample_records.h"

namespace opcat::domain {
namespace {

using samples::cyrillic;
using samples::sample;
using test::failsOnly;
using test::isValid;

TEST(VisitValidationTest, SampleIsValid) { EXPECT_TRUE(isValid(sample<Visit>())); }

TEST(VisitValidationTest, InstitutionIsRequiredTeamOptional) {
  Visit v = sample<Visit>();
  v.institutionId.clear();
  EXPECT_TRUE(failsOnly(v, "institution_id", "required"));
  v = sample<Visit>();
  v.teamId.clear();  // planned before the group is formed
  EXPECT_TRUE(isValid(v));
  v.teamId = "team-2";
  EXPECT_TRUE(failsOnly(v, "team_id", "uuid"));
}

TEST(VisitValidationTest, TypeAndStatusAreRequiredAndKnown) {
  Visit v = sample<Visit>();
  v.type = VisitType::kUnspecified;
  EXPECT_TRUE(failsOnly(v, "type", "required"));
  v = sample<Visit>();
  v.status = static_cast<VisitStatus>(10);
  EXPECT_TRUE(failsOnly(v, "status", "enum_range"));
}

TEST(VisitValidationTest, PlannedEndIsNotBeforeStart) {
  Visit v = sample<Visit>();
  v.plannedEndMs = v.plannedStartMs - 1;
  EXPECT_TRUE(failsOnly(v, "planned_end_ms", "order"));
  v.plannedEndMs = v.plannedStartMs;
  EXPECT_TRUE(isValid(v));
  v.plannedEndMs = 0;  // open-ended
  EXPECT_TRUE(isValid(v));
}

TEST(VisitValidationTest, TimesAreNotNegative) {
  Visit v = sample<Visit>();
  v.plannedStartMs = -1;
  EXPECT_TRUE(failsOnly(v, "planned_start_ms", "range"));
}

TEST(VisitValidationTest, PhaseEndsAfterItStarts) {
  Visit v = sample<Visit>();
  v.phases[0].endedAtMs = v.phases[0].startedAtMs - 60'000;
  EXPECT_TRUE(failsOnly(v, "phases[0].ended_at_ms", "order"));
  v = sample<Visit>();
  ASSERT_EQ(v.phases[1].endedAtMs, 0);  // the tour is still going on
  EXPECT_TRUE(isValid(v));
}

TEST(VisitValidationTest, PhaseKindIsKnown) {
  Visit v = sample<Visit>();
  v.phases[1].kind = static_cast<VisitPhaseKind>(8);
  EXPECT_TRUE(failsOnly(v, "phases[1].kind", "enum_range"));
}

TEST(VisitValidationTest, ParticipantsHaveNames) {
  Visit v = sample<Visit>();
  v.phases[0].participants[1].name.clear();
  EXPECT_TRUE(failsOnly(v, "phases[0].participants[1].name", "required"));
}

TEST(VisitValidationTest, RecommendationsToVerifyAreUuids) {
  Visit v = sample<Visit>();
  v.recommendationIdsToVerify.push_back("R-2023-14");
  EXPECT_TRUE(failsOnly(v, "recommendation_ids_to_verify[1]", "uuid"));
}

TEST(VisitValidationTest, ObjectivesAreLongTextWithinLimit) {
  Visit v = sample<Visit>();
  v.objectives = cyrillic(kMaxLongTextChars);
  EXPECT_TRUE(isValid(v));
  v.objectives += "ж";
  EXPECT_TRUE(failsOnly(v, "objectives", "max_length"));
}

TEST(ObservationValidationTest, SampleIsValid) { EXPECT_TRUE(isValid(sample<Observation>())); }

TEST(ObservationValidationTest, EveryAnswerShapeIsValid) {
  Observation o = sample<Observation>();
  for (const ObservationAnswer& answer :
       {ObservationAnswer{}, ObservationAnswer{true}, ObservationAnswer{std::int64_t{42}},
        ObservationAnswer{std::string("Окна закрыты")},
        ObservationAnswer{std::vector<std::string>{}}}) {
    o.answer = answer;
    EXPECT_TRUE(isValid(o)) << answer.index();
  }
}

TEST(ObservationValidationTest, AnswerTextIsChecked) {
  Observation o = sample<Observation>();
  o.answer = std::string("\xC0\xAF");
  EXPECT_TRUE(failsOnly(o, "text", "utf8"));
}

TEST(ObservationValidationTest, ChosenCodesAreDistinct) {
  Observation o = sample<Observation>();
  o.answer = std::vector<std::string>{"poor", "poor"};
  EXPECT_TRUE(failsOnly(o, "choices.codes[1]", "unique"));
  o.answer = std::vector<std::string>{""};
  EXPECT_TRUE(failsOnly(o, "choices.codes[0]", "required"));
}

TEST(ObservationValidationTest, FreeObservationHasNoQuestionButAnArea) {
  Observation o = sample<Observation>();
  o.questionId.clear();
  o.answer = std::monostate{};
  EXPECT_TRUE(isValid(o));
  o.area = ThematicArea::kUnspecified;
  EXPECT_TRUE(failsOnly(o, "area", "required"));
}

TEST(ObservationValidationTest, PlaceIsShortText) {
  Observation o = sample<Observation>();
  o.place.room = cyrillic(kMaxShortTextChars + 1);
  EXPECT_TRUE(failsOnly(o, "place.room", "max_length"));
}

TEST(FindingValidationTest, SampleIsValid) { EXPECT_TRUE(isValid(sample<Finding>())); }

TEST(FindingValidationTest, TitleIsRequired) {
  Finding f = sample<Finding>();
  f.title.clear();
  EXPECT_TRUE(failsOnly(f, "title", "required"));
}

TEST(FindingValidationTest, TitleLimitCountsCodePoints) {
  Finding f = sample<Finding>();
  f.title = cyrillic(kMaxTitleChars);  // 600 bytes, 300 code points
  EXPECT_TRUE(isValid(f));
  f.title = cyrillic(kMaxTitleChars + 1);
  EXPECT_TRUE(failsOnly(f, "title", "max_length"));
  EXPECT_EQ(validate(f)[0].detail, "301 > 300");
}

TEST(FindingValidationTest, ClassificationIsRequired) {
  Finding f = sample<Finding>();
  f.area = ThematicArea::kUnspecified;
  EXPECT_TRUE(failsOnly(f, "area", "required"));
  f = sample<Finding>();
  f.kind = FindingKind::kUnspecified;
  EXPECT_TRUE(failsOnly(f, "kind", "required"));
  f = sample<Finding>();
  f.severity = Severity::kUnspecified;
  EXPECT_TRUE(failsOnly(f, "severity", "required"));
  f = sample<Finding>();
  f.urgency = Urgency::kUnspecified;
  EXPECT_TRUE(failsOnly(f, "urgency", "required"));
}

TEST(FindingValidationTest, UnknownEnumValuesAreCaught) {
  Finding f = sample<Finding>();
  f.severity = static_cast<Severity>(99);
  EXPECT_TRUE(failsOnly(f, "severity", "enum_range"));
  EXPECT_EQ(validate(f)[0].detail, "99");
  f = sample<Finding>();
  f.urgency = static_cast<Urgency>(4);
  EXPECT_TRUE(failsOnly(f, "urgency", "enum_range"));
  f = sample<Finding>();
  f.affectedGroups[1] = static_cast<AffectedGroup>(12);
  EXPECT_TRUE(failsOnly(f, "affected_groups[1]", "enum_range"));
}

TEST(FindingValidationTest, SourcesHaveKindAndRecordId) {
  Finding f = sample<Finding>();
  f.sources[2].recordId = "photo-12";
  EXPECT_TRUE(failsOnly(f, "sources[2].record_id", "uuid"));
  f = sample<Finding>();
  f.sources[0].kind = SourceKind::kUnspecified;
  EXPECT_TRUE(failsOnly(f, "sources[0].kind", "required"));
  f.sources[0].kind = static_cast<SourceKind>(5);
  EXPECT_TRUE(failsOnly(f, "sources[0].kind", "enum_range"));
}

TEST(FindingValidationTest, DescriptionIsUtf8) {
  Finding f = sample<Finding>();
  f.description = "Камера \xC0\xAF";
  EXPECT_TRUE(failsOnly(f, "description", "utf8"));
}

TEST(FindingValidationTest, VisitIdIsRequired) {
  Finding f = sample<Finding>();
  f.visitId.clear();
  EXPECT_TRUE(failsOnly(f, "visit_id", "required"));
}

TEST(FindingValidationTest, StandardsAreBounded) {
  Finding f = sample<Finding>();
  f.standards.assign(kMaxRepeated + 1, "NMR 13");
  EXPECT_TRUE(failsOnly(f, "standards", "max_count"));
}

TEST(FindingValidationTest, ReportsEveryBrokenRuleInFieldOrder) {
  Finding f = sample<Finding>();
  f.title.clear();
  f.severity = static_cast<Severity>(7);
  f.visitId = "visit";
  const auto errors = validate(f);
  ASSERT_EQ(errors.size(), 3u) << test::describe(errors);
  EXPECT_EQ(errors[0].field, "visit_id");
  EXPECT_EQ(errors[1].field, "severity");
  EXPECT_EQ(errors[2].field, "title");
}

TEST(TriangulationTest, ThreeKindsOfSourceAreEnough) {
  EXPECT_FALSE(restsOnSingleSourceKind(sample<Finding>()));
}

TEST(TriangulationTest, TwoKindsAreEnough) {
  Finding f = sample<Finding>();
  f.sources = {{SourceKind::kInterview, samples::kInterviewId},
               {SourceKind::kDocument, samples::kDocumentReviewId}};
  EXPECT_FALSE(restsOnSingleSourceKind(f));
}

TEST(TriangulationTest, ManySourcesOfOneKindAreOneKind) {
  Finding f = sample<Finding>();
  f.sources = {{SourceKind::kInterview, samples::kInterviewId},
               {SourceKind::kInterview, samples::uuidFor(1)},
               {SourceKind::kInterview, samples::uuidFor(2)}};
  EXPECT_TRUE(restsOnSingleSourceKind(f));
}

TEST(TriangulationTest, NoSourcesOrUnknownKindsDoNotCount) {
  Finding f = sample<Finding>();
  f.sources.clear();
  EXPECT_TRUE(restsOnSingleSourceKind(f));
  f.sources = {{SourceKind::kPhoto, samples::kAttachmentId},
               {SourceKind::kUnspecified, samples::uuidFor(1)},
               {static_cast<SourceKind>(9), samples::uuidFor(2)}};
  EXPECT_TRUE(restsOnSingleSourceKind(f));
}

}  // namespace
}  // namespace opcat::domain
