// Validation of document reviews, access incidents and attachments.
#include <gtest/gtest.h>

#include "domain/access_incident.h"
#include "domain/attachment.h"
#include "domain/document_review.h"
#include "domain/limits.h"
#include "domain/validation.h"
#include "sample_records.h"

namespace opcat::domain {
namespace {

using samples::sample;
using test::failsOnly;
using test::isValid;

TEST(DocumentReviewValidationTest, SampleIsValid) {
  EXPECT_TRUE(isValid(sample<DocumentReview>()));
}

TEST(DocumentReviewValidationTest, PeriodEndsAfterItStarts) {
  DocumentReview d = sample<DocumentReview>();
  d.periodToMs = d.periodFromMs - 1;
  EXPECT_TRUE(failsOnly(d, "period_to_ms", "order"));
  d.periodToMs = 0;  // up to now
  EXPECT_TRUE(isValid(d));
}

TEST(DocumentReviewValidationTest, DocumentKindIsRequiredAndKnown) {
  DocumentReview d = sample<DocumentReview>();
  d.documentKind = DocumentKind::kUnspecified;
  EXPECT_TRUE(failsOnly(d, "document_kind", "required"));
  d.documentKind = static_cast<DocumentKind>(10);
  EXPECT_TRUE(failsOnly(d, "document_kind", "enum_range"));
}

TEST(DocumentReviewValidationTest, DiscrepanciesAreDescribed) {
  DocumentReview d = sample<DocumentReview>();
  d.discrepancies[1].description.clear();
  EXPECT_TRUE(failsOnly(d, "discrepancies[1].description", "required"));
  d = sample<DocumentReview>();
  d.discrepancies[0].registerEntry = "№ \xC0\xAF";
  EXPECT_TRUE(failsOnly(d, "discrepancies[0].register_entry", "utf8"));
}

TEST(AccessIncidentValidationTest, SampleIsValid) {
  EXPECT_TRUE(isValid(sample<AccessIncident>()));
}

TEST(AccessIncidentValidationTest, KindIsRequired) {
  AccessIncident a = sample<AccessIncident>();
  a.kind = AccessIncidentKind::kUnspecified;
  EXPECT_TRUE(failsOnly(a, "kind", "required"));
  a.kind = static_cast<AccessIncidentKind>(7);
  EXPECT_TRUE(failsOnly(a, "kind", "enum_range"));
}

TEST(AccessIncidentValidationTest, DelayIsWithinAWeek) {
  AccessIncident a = sample<AccessIncident>();
  a.delayMinutes = -1;
  EXPECT_TRUE(failsOnly(a, "delay_minutes", "range"));
  a.delayMinutes = kMaxDelayMinutes;
  EXPECT_TRUE(isValid(a));
  a.delayMinutes = kMaxDelayMinutes + 1;
  EXPECT_TRUE(failsOnly(a, "delay_minutes", "range"));
}

TEST(AccessIncidentValidationTest, OccurredAtIsNotNegative) {
  AccessIncident a = sample<AccessIncident>();
  a.occurredAtMs = -1;
  EXPECT_TRUE(failsOnly(a, "occurred_at_ms", "range"));
}

TEST(AttachmentValidationTest, SampleIsValid) { EXPECT_TRUE(isValid(sample<Attachment>())); }

TEST(AttachmentValidationTest, Sha256IsExactly32Bytes) {
  Attachment a = sample<Attachment>();
  a.sha256.pop_back();
  EXPECT_TRUE(failsOnly(a, "sha256", "size"));
  a = sample<Attachment>();
  a.sha256 += 'x';
  EXPECT_TRUE(failsOnly(a, "sha256", "size"));
  a.sha256 = std::string(64, 'a');  // hex text is not the raw digest
  EXPECT_TRUE(failsOnly(a, "sha256", "size"));
  a.sha256.clear();
  EXPECT_TRUE(failsOnly(a, "sha256", "size"));
}

TEST(AttachmentValidationTest, MediaTypeIsFromTheAllowList) {
  Attachment a = sample<Attachment>();
  for (const char* allowed : {"image/jpeg", "image/png", "image/webp", "application/pdf",
                              "audio/ogg", "audio/mp4", "video/mp4", "text/plain"}) {
    a.mediaType = allowed;
    EXPECT_TRUE(isValid(a)) << allowed;
  }
  for (const char* refused : {"image/gif", "application/x-msdownload", "text/html", "IMAGE/JPEG",
                              "image/jpeg; charset=binary"}) {
    a.mediaType = refused;
    EXPECT_TRUE(failsOnly(a, "media_type", "allow_list")) << refused;
  }
  a.mediaType.clear();
  EXPECT_TRUE(failsOnly(a, "media_type", "required"));
}

TEST(AttachmentValidationTest, SizeIsNotNegative) {
  Attachment a = sample<Attachment>();
  a.sizeBytes = -1;
  EXPECT_TRUE(failsOnly(a, "size_bytes", "range"));
  a.sizeBytes = 0;
  EXPECT_TRUE(isValid(a));
}

TEST(AttachmentValidationTest, OwnerIsOptionalUuid) {
  Attachment a = sample<Attachment>();
  a.ownerRecordId.clear();
  EXPECT_TRUE(isValid(a));
  a.ownerRecordId = "finding-1";
  EXPECT_TRUE(failsOnly(a, "owner_record_id", "uuid"));
}

TEST(AttachmentValidationTest, CaptionIsBounded) {
  Attachment a = sample<Attachment>();
  a.caption = samples::cyrillic(kMaxCaptionChars + 1);
  EXPECT_TRUE(failsOnly(a, "caption", "max_length"));
}

}  // namespace
}  // namespace opcat::domain
