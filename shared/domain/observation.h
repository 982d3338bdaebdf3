// An answer to a checklist question, or a free observation, at a place in the facility
// (opcat.v1.Observation).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "domain/common.h"
#include "domain/record_kind.h"

namespace opcat::domain {

// The answer oneof: none, yes/no, a number, free text, or the codes of the chosen options.
// An empty code list is a choice question answered with "none of these", not "no answer".
using ObservationAnswer =
    std::variant<std::monostate, bool, std::int64_t, std::string, std::vector<std::string>>;

struct Observation {
  static constexpr RecordKind kKind = RecordKind::kObservation;

  std::string id;
  std::string visitId;
  std::string questionId;  // empty for a free observation
  ThematicArea area = ThematicArea::kUnspecified;
  PlaceInFacility place;
  ObservationAnswer answer;
  std::string notes;
  std::int64_t observedAtMs = 0;
  std::string authorMonitorId;

  std::string_view parentId() const { return visitId; }
  friend bool operator==(const Observation&, const Observation&) = default;
};

}  // namespace opcat::domain
