#include "domain/record_kind.h"

namespace opcat::domain {

std::string_view recordKindName(RecordKind kind) {
  switch (kind) {
    case RecordKind::kRegion: return "Region";
    case RecordKind::kAuthority: return "Authority";
    case RecordKind::kInstitution: return "Institution";
    case RecordKind::kChecklistTemplate: return "ChecklistTemplate";
    case RecordKind::kMonitor: return "Monitor";
    case RecordKind::kTeam: return "Team";
    case RecordKind::kCoordinator: return "Coordinator";
    case RecordKind::kVisit: return "Visit";
    case RecordKind::kObservation: return "Observation";
    case RecordKind::kFinding: return "Finding";
    case RecordKind::kInterview: return "Interview";
    case RecordKind::kIdentityRecord: return "IdentityRecord";
    case RecordKind::kDocumentReview: return "DocumentReview";
    case RecordKind::kAccessIncident: return "AccessIncident";
    case RecordKind::kAttachment: return "Attachment";
    case RecordKind::kRecommendation: return "Recommendation";
    case RecordKind::kRecommendationEvent: return "RecommendationEvent";
    case RecordKind::kReviewEvent: return "ReviewEvent";
  }
  return "Unknown";
}

std::optional<RecordKind> recordKindFromInt(int value) {
  if (value < kFirstRecordKind || value > kLastRecordKind) return std::nullopt;
  return static_cast<RecordKind>(value);
}

bool isAppendOnly(RecordKind kind) {
  return kind == RecordKind::kRecommendationEvent || kind == RecordKind::kReviewEvent ||
         kind == RecordKind::kIdentityRecord;
}

}  // namespace opcat::domain
