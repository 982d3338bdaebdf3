// A finding of a visit, by thematic area, with the records that back it (opcat.v1.Finding).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "domain/common.h"
#include "domain/record_kind.h"

namespace opcat::domain {

enum class FindingKind : int {
  kUnspecified = 0,
  kViolation = 1,
  kRiskFactor = 2,
  kGoodPractice = 3,
};
constexpr FindingKind lastEnumValue(FindingKind) { return FindingKind::kGoodPractice; }

enum class Severity : int {
  kUnspecified = 0,
  kLow = 1,
  kMedium = 2,
  kHigh = 3,
  kCritical = 4,
};
constexpr Severity lastEnumValue(Severity) { return Severity::kCritical; }

enum class Urgency : int {
  kUnspecified = 0,
  kRoutine = 1,
  kPriority = 2,
  kUrgent = 3,  // raise at the final talk, act at once
};
constexpr Urgency lastEnumValue(Urgency) { return Urgency::kUrgent; }

enum class AffectedGroup : int {
  kUnspecified = 0,
  kAll = 1,
  kWomen = 2,
  kMinors = 3,
  kForeigners = 4,
  kPersonsWithDisabilities = 5,
  kOlderPersons = 6,
  kLgbti = 7,
  kPretrialDetainees = 8,
  kLifeSentenced = 9,
  kPatients = 10,
  kStaff = 11,
};
constexpr AffectedGroup lastEnumValue(AffectedGroup) { return AffectedGroup::kStaff; }

enum class SourceKind : int {
  kUnspecified = 0,
  kInterview = 1,
  kObservation = 2,
  kDocument = 3,
  kPhoto = 4,
};
constexpr SourceKind lastEnumValue(SourceKind) { return SourceKind::kPhoto; }

// A link from a finding to the record that backs it.
struct SourceLink {
  SourceKind kind = SourceKind::kUnspecified;
  std::string recordId;

  friend bool operator==(const SourceLink&, const SourceLink&) = default;
};

struct Finding {
  static constexpr RecordKind kKind = RecordKind::kFinding;

  std::string id;
  std::string visitId;
  ThematicArea area = ThematicArea::kUnspecified;
  FindingKind kind = FindingKind::kUnspecified;
  Severity severity = Severity::kUnspecified;
  Urgency urgency = Urgency::kUnspecified;
  std::vector<AffectedGroup> affectedGroups;
  std::vector<std::string> standards;
  std::vector<SourceLink> sources;
  std::string title;
  std::string description;
  PlaceInFacility place;
  std::int64_t recordedAtMs = 0;
  std::string authorMonitorId;

  std::string_view parentId() const { return visitId; }
  friend bool operator==(const Finding&, const Finding&) = default;
};

// Triangulation: good practice backs a finding by at least two kinds of source (an interview and
// a document, say). True when the sources span fewer than two distinct kinds, so the app can show
// that the finding rests on one kind of source only (or none). Unspecified and unknown kinds do
// not count.
bool restsOnSingleSourceKind(const Finding& finding);

}  // namespace opcat::domain
