#include "sync/codec/record_validation.h"

#include "domain/access_incident.h"
#include "domain/attachment.h"
#include "domain/document_review.h"
#include "domain/finding.h"
#include "domain/interview.h"
#include "domain/observation.h"
#include "domain/people.h"
#include "domain/recommendation.h"
#include "domain/registry.h"
#include "domain/review_event.h"
#include "domain/validation.h"
#include "domain/visit.h"
#include "sync/codec/record_codec.h"

namespace opcat::codec {
namespace {

template <typename T>
Status decodeAndValidate(std::string_view content) {
  auto record = decode<T>(content);
  if (!record) return record.status();
  return domain::validationStatus(domain::validate(*record));
}

}  // namespace

Status validateEncodedRecord(domain::RecordKind kind, std::string_view content) {
  using K = domain::RecordKind;
  switch (kind) {
    case K::kRegion: return decodeAndValidate<domain::Region>(content);
    case K::kAuthority: return decodeAndValidate<domain::Authority>(content);
    case K::kInstitution: return decodeAndValidate<domain::Institution>(content);
    case K::kChecklistTemplate: return decodeAndValidate<domain::ChecklistTemplate>(content);
    case K::kMonitor: return decodeAndValidate<domain::Monitor>(content);
    case K::kTeam: return decodeAndValidate<domain::Team>(content);
    case K::kCoordinator: return decodeAndValidate<domain::Coordinator>(content);
    case K::kVisit: return decodeAndValidate<domain::Visit>(content);
    case K::kObservation: return decodeAndValidate<domain::Observation>(content);
    case K::kFinding: return decodeAndValidate<domain::Finding>(content);
    case K::kInterview: return decodeAndValidate<domain::Interview>(content);
    case K::kIdentityRecord: return decodeAndValidate<domain::IdentityRecord>(content);
    case K::kDocumentReview: return decodeAndValidate<domain::DocumentReview>(content);
    case K::kAccessIncident: return decodeAndValidate<domain::AccessIncident>(content);
    case K::kAttachment: return decodeAndValidate<domain::Attachment>(content);
    case K::kRecommendation: return decodeAndValidate<domain::Recommendation>(content);
    case K::kRecommendationEvent: return decodeAndValidate<domain::RecommendationEvent>(content);
    case K::kReviewEvent: return decodeAndValidate<domain::ReviewEvent>(content);
  }
  return Status::error(StatusCode::kInvalidArgument, "unknown record kind");
}

}  // namespace opcat::codec
