// Document reviews, access incidents and attachments to and from their opcat.v1 messages.
#include "sync/codec/record_proto.h"

namespace opcat::codec {

v1::DocumentReview toProto(const domain::DocumentReview& record) {
  v1::DocumentReview p;
  p.set_id(record.id);
  p.set_visit_id(record.visitId);
  p.set_document_kind(static_cast<v1::DocumentKind>(record.documentKind));
  p.set_title(record.title);
  p.set_period_from_ms(record.periodFromMs);
  p.set_period_to_ms(record.periodToMs);
  p.set_summary(record.summary);
  for (const domain::Discrepancy& discrepancy : record.discrepancies) {
    v1::Discrepancy* d = p.add_discrepancies();
    d->set_description(discrepancy.description);
    d->set_register_entry(discrepancy.registerEntry);
  }
  p.set_reviewed_at_ms(record.reviewedAtMs);
  p.set_author_monitor_id(record.authorMonitorId);
  return p;
}

domain::DocumentReview fromProto(const v1::DocumentReview& record) {
  domain::DocumentReview d;
  d.id = record.id();
  d.visitId = record.visit_id();
  d.documentKind = static_cast<domain::DocumentKind>(record.document_kind());
  d.title = record.title();
  d.periodFromMs = record.period_from_ms();
  d.periodToMs = record.period_to_ms();
  d.summary = record.summary();
  d.discrepancies.reserve(static_cast<std::size_t>(record.discrepancies_size()));
  for (const v1::Discrepancy& discrepancy : record.discrepancies()) {
    d.discrepancies.push_back(
        domain::Discrepancy{discrepancy.description(), discrepancy.register_entry()});
  }
  d.reviewedAtMs = record.reviewed_at_ms();
  d.authorMonitorId = record.author_monitor_id();
  return d;
}

v1::AccessIncident toProto(const domain::AccessIncident& record) {
  v1::AccessIncident p;
  p.set_id(record.id);
  p.set_visit_id(record.visitId);
  p.set_kind(static_cast<v1::AccessIncidentKind>(record.kind));
  p.set_occurred_at_ms(record.occurredAtMs);
  p.set_delay_minutes(record.delayMinutes);
  p.set_description(record.description);
  p.set_official_position(record.officialPosition);
  p.set_author_monitor_id(record.authorMonitorId);
  return p;
}

domain::AccessIncident fromProto(const v1::AccessIncident& record) {
  domain::AccessIncident d;
  d.id = record.id();
  d.visitId = record.visit_id();
  d.kind = static_cast<domain::AccessIncidentKind>(record.kind());
  d.occurredAtMs = record.occurred_at_ms();
  d.delayMinutes = record.delay_minutes();
  d.description = record.description();
  d.officialPosition = record.official_position();
  d.authorMonitorId = record.author_monitor_id();
  return d;
}

v1::Attachment toProto(const domain::Attachment& record) {
  v1::Attachment p;
  p.set_id(record.id);
  p.set_visit_id(record.visitId);
  p.set_owner_record_id(record.ownerRecordId);
  p.set_media_type(record.mediaType);
  p.set_sha256(record.sha256);
  p.set_size_bytes(record.sizeBytes);
  p.set_captured_at_ms(record.capturedAtMs);
  p.set_caption(record.caption);
  return p;
}

domain::Attachment fromProto(const v1::Attachment& record) {
  domain::Attachment d;
  d.id = record.id();
  d.visitId = record.visit_id();
  d.ownerRecordId = record.owner_record_id();
  d.mediaType = record.media_type();
  d.sha256 = record.sha256();
  d.sizeBytes = record.size_bytes();
  d.capturedAtMs = record.captured_at_ms();
  d.caption = record.caption();
  return d;
}

}  // namespace opcat::codec
