// A preventive visit: institution, type, team, phases and status (opcat.v1.Visit). Everything
// recorded during the visit is a separate record whose parent is the visit.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "domain/record_kind.h"

namespace opcat::domain {

// Kazakhstan's rules (Decree No. 266) name three types of preventive visit.
enum class VisitType : int {
  kUnspecified = 0,
  kPeriodic = 1,
  kIntermediate = 2,  // follows up earlier recommendations
  kSpecial = 3,       // in reaction to information received
};
constexpr VisitType lastEnumValue(VisitType) { return VisitType::kSpecial; }

// planned → in progress → fieldwork closed → draft report → under review
// → (returned → draft report …) → approved → sent to the authority → closed.
enum class VisitStatus : int {
  kUnspecified = 0,
  kPlanned = 1,
  kInProgress = 2,
  kFieldworkClosed = 3,
  kDraftReport = 4,
  kUnderReview = 5,
  kReturned = 6,
  kApproved = 7,
  kSentToAuthority = 8,
  kClosed = 9,
};
constexpr VisitStatus lastEnumValue(VisitStatus) { return VisitStatus::kClosed; }

enum class VisitPhaseKind : int {
  kUnspecified = 0,
  kPreparation = 1,
  kInitialTalk = 2,
  kTour = 3,
  kInterviews = 4,
  kDocumentReview = 5,
  kFinalTalk = 6,
  kReport = 7,
};
constexpr VisitPhaseKind lastEnumValue(VisitPhaseKind) { return VisitPhaseKind::kReport; }

// Someone present at a phase, e.g. the deputy head at the initial talk.
struct PhaseParticipant {
  std::string name;
  std::string position;

  friend bool operator==(const PhaseParticipant&, const PhaseParticipant&) = default;
};

struct VisitPhase {
  VisitPhaseKind kind = VisitPhaseKind::kUnspecified;
  std::int64_t startedAtMs = 0;  // 0 while not started
  std::int64_t endedAtMs = 0;    // 0 while not ended
  std::vector<PhaseParticipant> participants;
  std::string notes;

  friend bool operator==(const VisitPhase&, const VisitPhase&) = default;
};

struct Visit {
  static constexpr RecordKind kKind = RecordKind::kVisit;

  std::string id;
  std::string institutionId;
  std::string teamId;  // empty until a team is formed
  VisitType type = VisitType::kUnspecified;
  std::string thematicFocus;
  bool announced = false;
  std::string objectives;
  std::int64_t plannedStartMs = 0;
  std::int64_t plannedEndMs = 0;  // 0 when open-ended
  std::vector<VisitPhase> phases;
  VisitStatus status = VisitStatus::kUnspecified;
  std::string checklistTemplateId;
  std::vector<std::string> recommendationIdsToVerify;

  std::string_view parentId() const { return institutionId; }
  friend bool operator==(const Visit&, const Visit&) = default;
};

}  // namespace opcat::domain
