#include "sync/codec/record_validation.h"

#include <type_traits>
#include <utility>
#include <vector>

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
#include "sync/codec/record_proto.h"

namespace opcat::codec {
namespace {

template <typename T>
Status decodeAndValidate(std::string_view content, RuleSet rules) {
  auto record = decode<T>(content);
  if (!record) return record.status();
  std::vector<domain::ValidationError> errors = domain::validate(*record);
  if (rules == RuleSet::kEachField) {
    std::erase_if(errors, [](const domain::ValidationError& e) { return e.linksFields; });
  }
  return domain::validationStatus(errors);
}

template <typename T>
Status validateParsed(const google::protobuf::Message& message) {
  using Message = decltype(toProto(std::declval<const T&>()));
  const auto* typed = dynamic_cast<const Message*>(&message);
  if (typed == nullptr) {
    return Status::error(StatusCode::kInvalidArgument,
                         message.GetTypeName() + " is not a " + Message().GetTypeName());
  }
  return domain::validationStatus(domain::validate(fromProto(*typed)));
}

// Calls `check` with std::type_identity<T> for the domain type T of `kind`.
template <typename Check>
Status forKind(domain::RecordKind kind, Check&& check) {
  using K = domain::RecordKind;
  using std::type_identity;
  switch (kind) {
    case K::kRegion: return check(type_identity<domain::Region>());
    case K::kAuthority: return check(type_identity<domain::Authority>());
    case K::kInstitution: return check(type_identity<domain::Institution>());
    case K::kChecklistTemplate: return check(type_identity<domain::ChecklistTemplate>());
    case K::kMonitor: return check(type_identity<domain::Monitor>());
    case K::kTeam: return check(type_identity<domain::Team>());
    case K::kCoordinator: return check(type_identity<domain::Coordinator>());
    case K::kVisit: return check(type_identity<domain::Visit>());
    case K::kObservation: return check(type_identity<domain::Observation>());
    case K::kFinding: return check(type_identity<domain::Finding>());
    case K::kInterview: return check(type_identity<domain::Interview>());
    case K::kIdentityRecord: return check(type_identity<domain::IdentityRecord>());
    case K::kDocumentReview: return check(type_identity<domain::DocumentReview>());
    case K::kAccessIncident: return check(type_identity<domain::AccessIncident>());
    case K::kAttachment: return check(type_identity<domain::Attachment>());
    case K::kRecommendation: return check(type_identity<domain::Recommendation>());
    case K::kRecommendationEvent: return check(type_identity<domain::RecommendationEvent>());
    case K::kReviewEvent: return check(type_identity<domain::ReviewEvent>());
  }
  return Status::error(StatusCode::kInvalidArgument, "unknown record kind");
}

}  // namespace

Status validateEncodedRecord(domain::RecordKind kind, std::string_view content, RuleSet rules) {
  return forKind(kind, [&]<typename T>(std::type_identity<T>) {
    return decodeAndValidate<T>(content, rules);
  });
}

Status validateRecordMessage(domain::RecordKind kind, const google::protobuf::Message& message) {
  return forKind(kind, [&]<typename T>(std::type_identity<T>) {
    return validateParsed<T>(message);
  });
}

}  // namespace opcat::codec
