// Validation of recommendations, their follow-up events and report review events.
#include "domain/limits.h"
#include "domain/recommendation.h"
#include "domain/review_event.h"
#include "domain/validation.h"
#include "domain/validation_checker.h"

namespace opcat::domain {

std::vector<ValidationError> validate(const Recommendation& record) {
  Checker c(recordKindName(Recommendation::kKind), record.id);
  c.requiredId("id", record.id);
  c.requiredId("visit_id", record.visitId);
  c.optionalId("institution_id", record.institutionId);
  c.requiredEnum("addressee", record.addressee);
  c.optionalId("addressee_authority_id", record.addresseeAuthorityId);
  c.requiredEnum("priority", record.priority);
  c.nonNegative("deadline_ms", record.deadlineMs);
  c.requiredText("text", record.text, kMaxLongTextChars);
  const std::size_t findings = c.bounded("finding_ids", record.findingIds.size(), kMaxRepeated);
  for (std::size_t i = 0; i < findings; ++i) {
    c.requiredId(indexed("finding_ids", i), record.findingIds[i]);
  }
  c.requiredEnum("status", record.status);
  // A superseded recommendation points to its successor, so follow-up continues there.
  // Only that presence links the two fields; the id's own shape is checked either way.
  if (record.status == RecommendationStatus::kSuperseded && record.supersededById.empty()) {
    const Checker::Linked linked(c);
    c.fail("superseded_by_id", "required");
  }
  c.optionalId("superseded_by_id", record.supersededById);
  return std::move(c).take();
}

std::vector<ValidationError> validate(const RecommendationEvent& record) {
  Checker c(recordKindName(RecommendationEvent::kKind), record.id);
  c.requiredId("id", record.id);
  c.requiredId("recommendation_id", record.recommendationId);
  c.requiredEnum("status", record.status);
  c.requiredEnum("source", record.source);
  c.optionalText("note", record.note, kMaxLongTextChars);
  c.optionalId("visit_id", record.visitId);
  c.optionalId("author_id", record.authorId);
  c.nonNegative("at_ms", record.atMs);
  return std::move(c).take();
}

std::vector<ValidationError> validate(const ReviewEvent& record) {
  Checker c(recordKindName(ReviewEvent::kKind), record.id);
  c.requiredId("id", record.id);
  c.requiredId("visit_id", record.visitId);
  c.requiredEnum("state", record.state);
  // Monitors must be told what to fix.
  if (record.state == ReviewState::kReturned && record.comment.empty()) {
    const Checker::Linked linked(c);
    c.fail("comment", "required");
  }
  c.optionalText("comment", record.comment, kMaxLongTextChars);
  c.optionalId("author_id", record.authorId);
  c.nonNegative("at_ms", record.atMs);
  return std::move(c).take();
}

}  // namespace opcat::domain
