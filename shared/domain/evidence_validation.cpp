// Validation of the other records of a visit: document reviews, access incidents, attachments.
#include <string>

#include "domain/access_incident.h"
#include "domain/attachment.h"
#include "domain/document_review.h"
#include "domain/limits.h"
#include "domain/validation.h"
#include "domain/validation_checker.h"

namespace opcat::domain {

std::vector<ValidationError> validate(const DocumentReview& record) {
  Checker c(recordKindName(DocumentReview::kKind), record.id);
  c.requiredId("id", record.id);
  c.requiredId("visit_id", record.visitId);
  c.requiredEnum("document_kind", record.documentKind);
  c.optionalText("title", record.title, kMaxTitleChars);
  c.nonNegative("period_from_ms", record.periodFromMs);
  c.nonNegative("period_to_ms", record.periodToMs);
  if (record.periodToMs > 0) c.notBefore("period_to_ms", record.periodToMs, record.periodFromMs);
  c.optionalText("summary", record.summary, kMaxLongTextChars);
  const std::size_t discrepancies =
      c.bounded("discrepancies", record.discrepancies.size(), kMaxRepeated);
  for (std::size_t i = 0; i < discrepancies; ++i) {
    const Checker::Scope scope(c, "discrepancies", i);
    c.requiredText("description", record.discrepancies[i].description, kMaxLongTextChars);
    c.optionalText("register_entry", record.discrepancies[i].registerEntry, kMaxTitleChars);
  }
  c.nonNegative("reviewed_at_ms", record.reviewedAtMs);
  c.optionalId("author_monitor_id", record.authorMonitorId);
  return std::move(c).take();
}

std::vector<ValidationError> validate(const AccessIncident& record) {
  Checker c(recordKindName(AccessIncident::kKind), record.id);
  c.requiredId("id", record.id);
  c.requiredId("visit_id", record.visitId);
  c.requiredEnum("kind", record.kind);
  c.nonNegative("occurred_at_ms", record.occurredAtMs);
  c.inRange("delay_minutes", record.delayMinutes, 0, kMaxDelayMinutes);
  c.optionalText("description", record.description, kMaxLongTextChars);
  c.optionalText("official_position", record.officialPosition, kMaxShortTextChars);
  c.optionalId("author_monitor_id", record.authorMonitorId);
  return std::move(c).take();
}

std::vector<ValidationError> validate(const Attachment& record) {
  Checker c(recordKindName(Attachment::kKind), record.id);
  c.requiredId("id", record.id);
  c.requiredId("visit_id", record.visitId);
  c.optionalId("owner_record_id", record.ownerRecordId);
  if (record.mediaType.empty()) {
    c.fail("media_type", "required");
  } else if (!isAllowedMediaType(record.mediaType)) {
    c.fail("media_type", "allow_list");
  }
  if (record.sha256.size() != kSha256Bytes) {
    c.fail("sha256", "size",
           std::to_string(record.sha256.size()) + " != " + std::to_string(kSha256Bytes));
  }
  c.nonNegative("size_bytes", record.sizeBytes);
  c.nonNegative("captured_at_ms", record.capturedAtMs);
  c.optionalText("caption", record.caption, kMaxCaptionChars);
  return std::move(c).take();
}

}  // namespace opcat::domain
