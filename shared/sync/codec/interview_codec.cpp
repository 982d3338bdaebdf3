// Interviews and sealed identities to and from their opcat.v1 messages.
#include "sync/codec/record_proto.h"

namespace opcat::codec {

v1::Interview toProto(const domain::Interview& record) {
  v1::Interview p;
  p.set_id(record.id);
  p.set_visit_id(record.visitId);
  p.set_pseudonym_code(record.pseudonymCode);
  p.set_kind(static_cast<v1::InterviewKind>(record.kind));
  p.set_interviewee_category(static_cast<v1::IntervieweeCategory>(record.intervieweeCategory));
  if (record.consent != domain::Consent{}) {
    v1::Consent* consent = p.mutable_consent();
    consent->set_to_interview(record.consent.toInterview);
    consent->set_to_cite(record.consent.toCite);
    consent->set_to_record(record.consent.toRecord);
    consent->set_to_photograph(record.consent.toPhotograph);
  }
  p.set_reprisal_risk(static_cast<v1::ReprisalRisk>(record.reprisalRisk));
  p.set_notes(record.notes);
  p.set_language(static_cast<v1::Language>(record.language));
  p.set_interpreter_used(record.interpreterUsed);
  if (!record.place.empty()) *p.mutable_place() = toProto(record.place);
  p.set_conducted_at_ms(record.conductedAtMs);
  p.set_author_monitor_id(record.authorMonitorId);
  p.set_group_size(record.groupSize);
  return p;
}

domain::Interview fromProto(const v1::Interview& record) {
  domain::Interview d;
  d.id = record.id();
  d.visitId = record.visit_id();
  d.pseudonymCode = record.pseudonym_code();
  d.kind = static_cast<domain::InterviewKind>(record.kind());
  d.intervieweeCategory = static_cast<domain::IntervieweeCategory>(record.interviewee_category());
  d.consent.toInterview = record.consent().to_interview();
  d.consent.toCite = record.consent().to_cite();
  d.consent.toRecord = record.consent().to_record();
  d.consent.toPhotograph = record.consent().to_photograph();
  d.reprisalRisk = static_cast<domain::ReprisalRisk>(record.reprisal_risk());
  d.notes = record.notes();
  d.language = static_cast<domain::Language>(record.language());
  d.interpreterUsed = record.interpreter_used();
  d.place = fromProto(record.place());
  d.conductedAtMs = record.conducted_at_ms();
  d.authorMonitorId = record.author_monitor_id();
  d.groupSize = record.group_size();
  return d;
}

v1::IdentityRecord toProto(const domain::IdentityRecord& record) {
  v1::IdentityRecord p;
  p.set_id(record.id);
  p.set_interview_id(record.interviewId);
  p.set_sealed_details(record.sealedDetails);
  p.set_office_key_id(record.officeKeyId);
  p.set_captured_at_ms(record.capturedAtMs);
  return p;
}

domain::IdentityRecord fromProto(const v1::IdentityRecord& record) {
  return domain::IdentityRecord{record.id(), record.interview_id(), record.sealed_details(),
                                record.office_key_id(), record.captured_at_ms()};
}

v1::IdentityDetails toProto(const domain::IdentityDetails& details) {
  v1::IdentityDetails p;
  p.set_full_name(details.fullName);
  p.set_date_of_birth(details.dateOfBirth);
  p.set_identity_document(details.identityDocument);
  p.set_contact(details.contact);
  p.set_notes(details.notes);
  return p;
}

domain::IdentityDetails fromProto(const v1::IdentityDetails& details) {
  return domain::IdentityDetails{details.full_name(), details.date_of_birth(),
                                 details.identity_document(), details.contact(), details.notes()};
}

}  // namespace opcat::codec
