// Recommendations issued after a visit and the steps of their follow-up
// (opcat.v1 Recommendation, RecommendationEvent).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "domain/record_kind.h"

namespace opcat::domain {

enum class RecommendationAddressee : int {
  kUnspecified = 0,
  kFacility = 1,
  kAuthority = 2,
  kLegislature = 3,
};
constexpr RecommendationAddressee lastEnumValue(RecommendationAddressee) {
  return RecommendationAddressee::kLegislature;
}

enum class RecommendationPriority : int {
  kUnspecified = 0,
  kLow = 1,
  kMedium = 2,
  kHigh = 3,
  kImmediate = 4,
};
constexpr RecommendationPriority lastEnumValue(RecommendationPriority) {
  return RecommendationPriority::kImmediate;
}

enum class RecommendationStatus : int {
  kUnspecified = 0,
  kIssued = 1,
  kAccepted = 2,
  kInProgress = 3,
  kImplemented = 4,
  kPartiallyImplemented = 5,
  kNotImplemented = 6,
  kRejected = 7,
  kSuperseded = 8,  // by the recommendation named in supersededById
};
constexpr RecommendationStatus lastEnumValue(RecommendationStatus) {
  return RecommendationStatus::kSuperseded;
}

struct Recommendation {
  static constexpr RecordKind kKind = RecordKind::kRecommendation;

  std::string id;
  std::string visitId;
  std::string institutionId;
  RecommendationAddressee addressee = RecommendationAddressee::kUnspecified;
  std::string addresseeAuthorityId;
  RecommendationPriority priority = RecommendationPriority::kUnspecified;
  std::int64_t deadlineMs = 0;  // 0 when none was set
  std::string text;
  std::vector<std::string> findingIds;
  RecommendationStatus status = RecommendationStatus::kUnspecified;
  std::string supersededById;

  std::string_view parentId() const { return visitId; }
  friend bool operator==(const Recommendation&, const Recommendation&) = default;
};

enum class RecommendationEventSource : int {
  kUnspecified = 0,
  kAuthorityResponse = 1,
  kFollowUpVisit = 2,
  kCoordinator = 3,
};
constexpr RecommendationEventSource lastEnumValue(RecommendationEventSource) {
  return RecommendationEventSource::kCoordinator;
}

// Append-only: one step in a recommendation's life. Never edited, never conflicts.
struct RecommendationEvent {
  static constexpr RecordKind kKind = RecordKind::kRecommendationEvent;

  std::string id;
  std::string recommendationId;
  RecommendationStatus status = RecommendationStatus::kUnspecified;
  RecommendationEventSource source = RecommendationEventSource::kUnspecified;
  std::string note;
  std::string visitId;  // the follow-up visit that verified it, if any
  std::string authorId;
  std::int64_t atMs = 0;

  std::string_view parentId() const { return recommendationId; }
  friend bool operator==(const RecommendationEvent&, const RecommendationEvent&) = default;
};

}  // namespace opcat::domain
