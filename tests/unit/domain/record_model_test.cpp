// What every record kind shares: its kind, its parent, a valid sample, value equality.
#include <gtest/gtest.h>

#include <string_view>

#include "domain/record_kind.h"
#include "domain/validation.h"
#include "sample_records.h"

namespace opcat::domain {
namespace {

using samples::sample;

template <class T>
class RecordModelTest : public ::testing::Test {};

using RecordTypes =
    ::testing::Types<Region, Authority, Institution, ChecklistTemplate, Monitor, Team, Coordinator,
                     Visit, Observation, Finding, Interview, IdentityRecord, DocumentReview,
                     AccessIncident, Attachment, Recommendation, RecommendationEvent, ReviewEvent>;
TYPED_TEST_SUITE(RecordModelTest, RecordTypes);

TYPED_TEST(RecordModelTest, FullyPopulatedSampleIsValid) {
  EXPECT_TRUE(test::isValid(sample<TypeParam>()));
}

TYPED_TEST(RecordModelTest, DefaultRecordIsInvalidAndSaysWhy) {
  const auto errors = validate(TypeParam{});
  ASSERT_FALSE(errors.empty());
  EXPECT_EQ(errors[0].record, recordKindName(TypeParam::kKind));
  EXPECT_EQ(errors[0].field, "id");
  EXPECT_EQ(errors[0].rule, "required");
}

TYPED_TEST(RecordModelTest, EqualityComparesEveryField) {
  const TypeParam a = sample<TypeParam>();
  TypeParam b = a;
  EXPECT_EQ(a, b);
  b.id = samples::uuidFor(1);
  EXPECT_NE(a, b);
}

TEST(RecordKindTest, EachTypeCarriesItsKind) {
  static_assert(Region::kKind == RecordKind::kRegion);
  static_assert(Authority::kKind == RecordKind::kAuthority);
  static_assert(Institution::kKind == RecordKind::kInstitution);
  static_assert(ChecklistTemplate::kKind == RecordKind::kChecklistTemplate);
  static_assert(Monitor::kKind == RecordKind::kMonitor);
  static_assert(Team::kKind == RecordKind::kTeam);
  static_assert(Coordinator::kKind == RecordKind::kCoordinator);
  static_assert(Visit::kKind == RecordKind::kVisit);
  static_assert(Observation::kKind == RecordKind::kObservation);
  static_assert(Finding::kKind == RecordKind::kFinding);
  static_assert(Interview::kKind == RecordKind::kInterview);
  static_assert(IdentityRecord::kKind == RecordKind::kIdentityRecord);
  static_assert(DocumentReview::kKind == RecordKind::kDocumentReview);
  static_assert(AccessIncident::kKind == RecordKind::kAccessIncident);
  static_assert(Attachment::kKind == RecordKind::kAttachment);
  static_assert(Recommendation::kKind == RecordKind::kRecommendation);
  static_assert(RecommendationEvent::kKind == RecordKind::kRecommendationEvent);
  static_assert(ReviewEvent::kKind == RecordKind::kReviewEvent);
  SUCCEED();
}

TEST(ParentIdTest, VisitRecordsBelongToTheirVisit) {
  using samples::kVisitId;
  EXPECT_EQ(sample<Observation>().parentId(), kVisitId);
  EXPECT_EQ(sample<Finding>().parentId(), kVisitId);
  EXPECT_EQ(sample<Interview>().parentId(), kVisitId);
  EXPECT_EQ(sample<DocumentReview>().parentId(), kVisitId);
  EXPECT_EQ(sample<AccessIncident>().parentId(), kVisitId);
  EXPECT_EQ(sample<Attachment>().parentId(), kVisitId);
  EXPECT_EQ(sample<Recommendation>().parentId(), kVisitId);
  EXPECT_EQ(sample<ReviewEvent>().parentId(), kVisitId);
}

TEST(ParentIdTest, OtherRecordsBelongToWhatTheyHangFrom) {
  EXPECT_EQ(sample<IdentityRecord>().parentId(), samples::kInterviewId);
  EXPECT_EQ(sample<RecommendationEvent>().parentId(), samples::kRecommendationId);
  EXPECT_EQ(sample<Visit>().parentId(), samples::kInstitutionId);
  EXPECT_EQ(sample<Institution>().parentId(), samples::kRegionId);
}

TEST(ParentIdTest, TopLevelRecordsHaveNone) {
  EXPECT_TRUE(sample<Region>().parentId().empty());
  EXPECT_TRUE(sample<Authority>().parentId().empty());
  EXPECT_TRUE(sample<ChecklistTemplate>().parentId().empty());
  EXPECT_TRUE(sample<Monitor>().parentId().empty());
  EXPECT_TRUE(sample<Team>().parentId().empty());
  EXPECT_TRUE(sample<Coordinator>().parentId().empty());
}

TEST(EnumTest, ValuesEqualTheProtoNumbers) {
  // Spot checks of the last value of each enum (the wire contract's numbers).
  EXPECT_EQ(static_cast<int>(lastEnumValue(ThematicArea{})), 6);
  EXPECT_EQ(static_cast<int>(lastEnumValue(InstitutionCategory{})), 11);
  EXPECT_EQ(static_cast<int>(lastEnumValue(VisitStatus{})), 9);
  EXPECT_EQ(static_cast<int>(lastEnumValue(AffectedGroup{})), 11);
  EXPECT_EQ(static_cast<int>(lastEnumValue(IntervieweeCategory{})), 11);
  EXPECT_EQ(static_cast<int>(lastEnumValue(DocumentKind{})), 9);
  EXPECT_EQ(static_cast<int>(lastEnumValue(RecommendationStatus{})), 8);
  EXPECT_EQ(static_cast<int>(lastEnumValue(ReviewState{})), 5);
  EXPECT_EQ(static_cast<int>(Severity::kCritical), 4);
  EXPECT_EQ(static_cast<int>(Urgency::kUrgent), 3);
}

}  // namespace
}  // namespace opcat::domain
