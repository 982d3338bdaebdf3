// The kinds of record the system syncs. Values equal opcat.v1.RecordKind so they are stable
// on disk and on the wire.
#pragma once

#include <optional>
#include <string_view>

namespace opcat::domain {

enum class RecordKind : int {
  kRegion = 1,
  kAuthority = 2,
  kInstitution = 3,
  kChecklistTemplate = 4,
  kMonitor = 5,
  kTeam = 6,
  kCoordinator = 7,
  kVisit = 8,
  kObservation = 9,
  kFinding = 10,
  kInterview = 11,
  kIdentityRecord = 12,
  kDocumentReview = 13,
  kAccessIncident = 14,
  kAttachment = 15,
  kRecommendation = 16,
  kRecommendationEvent = 17,
  kReviewEvent = 18,
};

inline constexpr int kFirstRecordKind = 1;
inline constexpr int kLastRecordKind = 18;

// "Finding", "ReviewEvent", ...: the record's name in validation errors and logs.
std::string_view recordKindName(RecordKind kind);

// The kind for a wire or disk value; nullopt when out of range.
std::optional<RecordKind> recordKindFromInt(int value);

// Append-only kinds are written once and never edited, so they never conflict.
bool isAppendOnly(RecordKind kind);

}  // namespace opcat::domain
