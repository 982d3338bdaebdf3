// An obstruction of the NPM's access, recorded as it happens (opcat.v1.AccessIncident).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "domain/record_kind.h"

namespace opcat::domain {

enum class AccessIncidentKind : int {
  kUnspecified = 0,
  kEntryDelayed = 1,
  kEntryRefused = 2,
  kAreaWithheld = 3,
  kDocumentWithheld = 4,
  kInterviewObstructed = 5,
  kOther = 6,
};
constexpr AccessIncidentKind lastEnumValue(AccessIncidentKind) {
  return AccessIncidentKind::kOther;
}

struct AccessIncident {
  static constexpr RecordKind kKind = RecordKind::kAccessIncident;

  std::string id;
  std::string visitId;
  AccessIncidentKind kind = AccessIncidentKind::kUnspecified;
  std::int64_t occurredAtMs = 0;
  std::int32_t delayMinutes = 0;
  std::string description;
  std::string officialPosition;  // who obstructed, by position, not name
  std::string authorMonitorId;

  std::string_view parentId() const { return visitId; }
  friend bool operator==(const AccessIncident&, const AccessIncident&) = default;
};

}  // namespace opcat::domain
