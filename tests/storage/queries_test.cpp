// Lists the app needs are SQL queries over sealed records (via opcat_int / opcat_text).
#include <gtest/gtest.h>

#include "core/uuid.h"
#include "storage/outbox.h"
#include "storage/repositories.h"
#include "store_fixture.h"
#include "support/sample_records.h"

namespace opcat::testing {
namespace {

using domain::RecommendationStatus;
using domain::Severity;
using domain::ThematicArea;

TEST_F(StoreTest, FindingsOfAVisitComeGroupedByAreaMostSevereFirst) {
  storage::FindingRepository repo(store());
  const std::string visit = newUuid();
  const std::string otherVisit = newUuid();
  const auto medical = sampleFinding(visit, ThematicArea::kMedicalServices, Severity::kLow);
  const auto treatmentLow = sampleFinding(visit, ThematicArea::kTreatment, Severity::kLow);
  const auto treatmentCritical = sampleFinding(visit, ThematicArea::kTreatment, Severity::kCritical);
  const auto material = sampleFinding(visit, ThematicArea::kMaterialConditions, Severity::kMedium);
  const auto deleted = sampleFinding(visit, ThematicArea::kTreatment, Severity::kHigh);
  for (const domain::Finding* f : std::vector<const domain::Finding*>{
           &medical, &treatmentLow, &treatmentCritical, &material, &deleted}) {
    ASSERT_TRUE(repo.save(*f, "m").isOk());
  }
  ASSERT_TRUE(repo.save(sampleFinding(otherVisit), "m").isOk());
  ASSERT_TRUE(repo.remove(deleted.id, "m").isOk());

  auto list = repo.byArea(visit);
  ASSERT_TRUE(list.isOk()) << list.status().toString();
  ASSERT_EQ(list->size(), 4u);
  EXPECT_EQ((*list)[0].id, treatmentCritical.id);
  EXPECT_EQ((*list)[1].id, treatmentLow.id);
  EXPECT_EQ((*list)[2].id, material.id);
  EXPECT_EQ((*list)[3].id, medical.id);

  auto counts = repo.countByArea(visit);
  ASSERT_TRUE(counts.isOk()) << counts.status().toString();
  const std::vector<std::pair<ThematicArea, std::int64_t>> expected = {
      {ThematicArea::kTreatment, 2},
      {ThematicArea::kMaterialConditions, 1},
      {ThematicArea::kMedicalServices, 1}};
  EXPECT_EQ(*counts, expected);
}

TEST_F(StoreTest, OpenRecommendationsOfAnInstitutionExcludeClosedOnesAndOtherInstitutions) {
  storage::RecommendationRepository repo(store());
  const std::string institution = newUuid();
  const std::string visit = newUuid();
  auto urgent = sampleRecommendation(visit, institution, RecommendationStatus::kInProgress);
  urgent.priority = domain::RecommendationPriority::kImmediate;
  auto noDeadline = sampleRecommendation(visit, institution, RecommendationStatus::kIssued);
  noDeadline.deadlineMs = 0;
  auto soon = sampleRecommendation(visit, institution, RecommendationStatus::kPartiallyImplemented);
  soon.deadlineMs -= 30LL * 24 * 3600 * 1000;
  const auto done = sampleRecommendation(visit, institution, RecommendationStatus::kImplemented);
  const auto rejected = sampleRecommendation(visit, institution, RecommendationStatus::kRejected);
  const auto elsewhere = sampleRecommendation(visit, newUuid(), RecommendationStatus::kIssued);
  for (const domain::Recommendation* r :
       std::vector<const domain::Recommendation*>{&urgent, &noDeadline, &soon, &done, &rejected, &elsewhere}) {
    ASSERT_TRUE(repo.save(*r, "m").isOk()) << r->id;
  }
  auto open = repo.openForInstitution(institution);
  ASSERT_TRUE(open.isOk()) << open.status().toString();
  ASSERT_EQ(open->size(), 3u);
  EXPECT_EQ((*open)[0].id, urgent.id);
  EXPECT_EQ((*open)[1].id, soon.id);
  EXPECT_EQ((*open)[2].id, noDeadline.id);
}

TEST_F(StoreTest, PendingOutboxCountFollowsWritesAndAcknowledgements) {
  storage::Outbox outbox(store());
  EXPECT_EQ(*outbox.pendingCount(), 0);
  storage::FindingRepository repo(store());
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(repo.save(sampleFinding(newUuid()), "m").isOk());
  EXPECT_EQ(*outbox.pendingCount(), 3);
  auto entries = outbox.peek(2, 1 << 20);
  std::vector<std::uint64_t> seqs;
  for (const auto& e : *entries) seqs.push_back(e.sequence);
  ASSERT_TRUE(outbox.acknowledge(seqs).isOk());
  EXPECT_EQ(*outbox.pendingCount(), 1);
}

}  // namespace
}  // namespace opcat::testing
