// Recommendations, recommendation events and review events to and from their opcat.v1 messages.
#include "sync/codec/record_proto.h"

namespace opcat::codec {

v1::Recommendation toProto(const domain::Recommendation& record) {
  v1::Recommendation p;
  p.set_id(record.id);
  p.set_visit_id(record.visitId);
  p.set_institution_id(record.institutionId);
  p.set_addressee(static_cast<v1::RecommendationAddressee>(record.addressee));
  p.set_addressee_authority_id(record.addresseeAuthorityId);
  p.set_priority(static_cast<v1::RecommendationPriority>(record.priority));
  p.set_deadline_ms(record.deadlineMs);
  p.set_text(record.text);
  p.mutable_finding_ids()->Add(record.findingIds.begin(), record.findingIds.end());
  p.set_status(static_cast<v1::RecommendationStatus>(record.status));
  p.set_superseded_by_id(record.supersededById);
  return p;
}

domain::Recommendation fromProto(const v1::Recommendation& record) {
  domain::Recommendation d;
  d.id = record.id();
  d.visitId = record.visit_id();
  d.institutionId = record.institution_id();
  d.addressee = static_cast<domain::RecommendationAddressee>(record.addressee());
  d.addresseeAuthorityId = record.addressee_authority_id();
  d.priority = static_cast<domain::RecommendationPriority>(record.priority());
  d.deadlineMs = record.deadline_ms();
  d.text = record.text();
  d.findingIds.assign(record.finding_ids().begin(), record.finding_ids().end());
  d.status = static_cast<domain::RecommendationStatus>(record.status());
  d.supersededById = record.superseded_by_id();
  return d;
}

v1::RecommendationEvent toProto(const domain::RecommendationEvent& record) {
  v1::RecommendationEvent p;
  p.set_id(record.id);
  p.set_recommendation_id(record.recommendationId);
  p.set_status(static_cast<v1::RecommendationStatus>(record.status));
  p.set_source(static_cast<v1::RecommendationEventSource>(record.source));
  p.set_note(record.note);
  p.set_visit_id(record.visitId);
  p.set_author_id(record.authorId);
  p.set_at_ms(record.atMs);
  return p;
}

domain::RecommendationEvent fromProto(const v1::RecommendationEvent& record) {
  domain::RecommendationEvent d;
  d.id = record.id();
  d.recommendationId = record.recommendation_id();
  d.status = static_cast<domain::RecommendationStatus>(record.status());
  d.source = static_cast<domain::RecommendationEventSource>(record.source());
  d.note = record.note();
  d.visitId = record.visit_id();
  d.authorId = record.author_id();
  d.atMs = record.at_ms();
  return d;
}

v1::ReviewEvent toProto(const domain::ReviewEvent& record) {
  v1::ReviewEvent p;
  p.set_id(record.id);
  p.set_visit_id(record.visitId);
  p.set_state(static_cast<v1::ReviewState>(record.state));
  p.set_comment(record.comment);
  p.set_author_id(record.authorId);
  p.set_at_ms(record.atMs);
  return p;
}

domain::ReviewEvent fromProto(const v1::ReviewEvent& record) {
  domain::ReviewEvent d;
  d.id = record.id();
  d.visitId = record.visit_id();
  d.state = static_cast<domain::ReviewState>(record.state());
  d.comment = record.comment();
  d.authorId = record.author_id();
  d.atMs = record.at_ms();
  return d;
}

}  // namespace opcat::codec
