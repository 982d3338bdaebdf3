// Validation of recommendations, recommendation events and review events.
#include <gtest/gtest.h>

#include "domain/limits.h"
#include "domain/recommendation.h"
#include "domain/review_event.h"
#include "domain/validation.h"
#include "sample_records.h"

namespace opcat::domain {
namespace {

using samples::sample;
using test::failsOnly;
using test::isValid;

TEST(RecommendationValidationTest, SampleIsValid) {
  EXPECT_TRUE(isValid(sample<Recommendation>()));
}

TEST(RecommendationValidationTest, TextIsRequired) {
  Recommendation r = sample<Recommendation>();
  r.text.clear();
  EXPECT_TRUE(failsOnly(r, "text", "required"));
  r.text = samples::cyrillic(kMaxLongTextChars + 1);
  EXPECT_TRUE(failsOnly(r, "text", "max_length"));
}

TEST(RecommendationValidationTest, AddresseePriorityAndStatusAreRequired) {
  Recommendation r = sample<Recommendation>();
  r.addressee = RecommendationAddressee::kUnspecified;
  EXPECT_TRUE(failsOnly(r, "addressee", "required"));
  r = sample<Recommendation>();
  r.priority = static_cast<RecommendationPriority>(5);
  EXPECT_TRUE(failsOnly(r, "priority", "enum_range"));
  r = sample<Recommendation>();
  r.status = RecommendationStatus::kUnspecified;
  EXPECT_TRUE(failsOnly(r, "status", "required"));
}

TEST(RecommendationValidationTest, SupersededNamesItsSuccessor) {
  Recommendation r = sample<Recommendation>();
  r.supersededById.clear();
  EXPECT_TRUE(failsOnly(r, "superseded_by_id", "required"));
  r.status = RecommendationStatus::kIssued;
  EXPECT_TRUE(isValid(r));
  r.supersededById = "new";
  EXPECT_TRUE(failsOnly(r, "superseded_by_id", "uuid"));
}

TEST(RecommendationValidationTest, FindingIdsAreUuids) {
  Recommendation r = sample<Recommendation>();
  r.findingIds.push_back("");
  EXPECT_TRUE(failsOnly(r, "finding_ids[1]", "required"));
}

TEST(RecommendationValidationTest, DeadlineIsNotNegative) {
  Recommendation r = sample<Recommendation>();
  r.deadlineMs = -86'400'000;
  EXPECT_TRUE(failsOnly(r, "deadline_ms", "range"));
}

TEST(RecommendationEventValidationTest, SampleIsValid) {
  EXPECT_TRUE(isValid(sample<RecommendationEvent>()));
}

TEST(RecommendationEventValidationTest, StatusAndSourceAreRequired) {
  RecommendationEvent e = sample<RecommendationEvent>();
  e.status = RecommendationStatus::kUnspecified;
  EXPECT_TRUE(failsOnly(e, "status", "required"));
  e = sample<RecommendationEvent>();
  e.source = RecommendationEventSource::kUnspecified;
  EXPECT_TRUE(failsOnly(e, "source", "required"));
  e.source = static_cast<RecommendationEventSource>(4);
  EXPECT_TRUE(failsOnly(e, "source", "enum_range"));
}

TEST(RecommendationEventValidationTest, BelongsToARecommendation) {
  RecommendationEvent e = sample<RecommendationEvent>();
  e.recommendationId.clear();
  EXPECT_TRUE(failsOnly(e, "recommendation_id", "required"));
}

TEST(RecommendationEventValidationTest, VisitIsOptional) {
  RecommendationEvent e = sample<RecommendationEvent>();
  e.source = RecommendationEventSource::kAuthorityResponse;
  e.visitId.clear();
  EXPECT_TRUE(isValid(e));
  e.visitId = "visit";
  EXPECT_TRUE(failsOnly(e, "visit_id", "uuid"));
}

TEST(ReviewEventValidationTest, SampleIsValid) { EXPECT_TRUE(isValid(sample<ReviewEvent>())); }

TEST(ReviewEventValidationTest, ReturnedNeedsAComment) {
  ReviewEvent e = sample<ReviewEvent>();
  e.comment.clear();
  EXPECT_TRUE(failsOnly(e, "comment", "required"));
  e.state = ReviewState::kApproved;
  EXPECT_TRUE(isValid(e));
}

TEST(ReviewEventValidationTest, StateIsRequiredAndKnown) {
  ReviewEvent e = sample<ReviewEvent>();
  e.state = ReviewState::kUnspecified;
  EXPECT_TRUE(failsOnly(e, "state", "required"));
  e.state = static_cast<ReviewState>(6);
  EXPECT_TRUE(failsOnly(e, "state", "enum_range"));
}

TEST(ReviewEventValidationTest, AtIsNotNegative) {
  ReviewEvent e = sample<ReviewEvent>();
  e.atMs = -1;
  EXPECT_TRUE(failsOnly(e, "at_ms", "range"));
}

}  // namespace
}  // namespace opcat::domain
