#include "sync/codec/record_prototypes.h"

#include "opcat/v1/followup.pb.h"
#include "opcat/v1/people.pb.h"
#include "opcat/v1/registry.pb.h"
#include "opcat/v1/visit.pb.h"

namespace opcat::codec {

const google::protobuf::Message* prototypeFor(domain::RecordKind kind) {
  using domain::RecordKind;
  switch (kind) {
    case RecordKind::kRegion:
      return &v1::Region::default_instance();
    case RecordKind::kAuthority:
      return &v1::Authority::default_instance();
    case RecordKind::kInstitution:
      return &v1::Institution::default_instance();
    case RecordKind::kChecklistTemplate:
      return &v1::ChecklistTemplate::default_instance();
    case RecordKind::kMonitor:
      return &v1::Monitor::default_instance();
    case RecordKind::kTeam:
      return &v1::Team::default_instance();
    case RecordKind::kCoordinator:
      return &v1::Coordinator::default_instance();
    case RecordKind::kVisit:
      return &v1::Visit::default_instance();
    case RecordKind::kObservation:
      return &v1::Observation::default_instance();
    case RecordKind::kFinding:
      return &v1::Finding::default_instance();
    case RecordKind::kInterview:
      return &v1::Interview::default_instance();
    case RecordKind::kIdentityRecord:
      return &v1::IdentityRecord::default_instance();
    case RecordKind::kDocumentReview:
      return &v1::DocumentReview::default_instance();
    case RecordKind::kAccessIncident:
      return &v1::AccessIncident::default_instance();
    case RecordKind::kAttachment:
      return &v1::Attachment::default_instance();
    case RecordKind::kRecommendation:
      return &v1::Recommendation::default_instance();
    case RecordKind::kRecommendationEvent:
      return &v1::RecommendationEvent::default_instance();
    case RecordKind::kReviewEvent:
      return &v1::ReviewEvent::default_instance();
  }
  return nullptr;
}

}  // namespace opcat::codec
