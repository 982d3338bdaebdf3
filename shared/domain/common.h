// Value types and enums shared by several areas of the model (opcat.v1 common.proto).
// Enum values equal the proto numbers; a value that arrives from the wire out of range is kept
// as is and rejected by validation. Each enum has a `lastEnumValue(E)` overload naming its greatest
// value, which validation finds by argument-dependent lookup: add a value, move the overload.
#pragma once

#include <string>

namespace opcat::domain {

enum class Language : int {
  kUnspecified = 0,
  kKk = 1,
  kRu = 2,
  kEn = 3,
};
constexpr Language lastEnumValue(Language) { return Language::kEn; }

// The six thematic areas that checklists, findings and reports are organised by.
enum class ThematicArea : int {
  kUnspecified = 0,
  kTreatment = 1,
  kSafeguards = 2,  // protection measures and legal safeguards
  kMaterialConditions = 3,
  kRegimeActivities = 4,
  kMedicalServices = 5,
  kPersonnel = 6,
};
constexpr ThematicArea lastEnumValue(ThematicArea) { return ThematicArea::kPersonnel; }

// Where in a facility something was seen or said; free text, as monitors name places.
struct PlaceInFacility {
  std::string building;
  std::string unit;
  std::string room;  // cell, ward, office

  bool empty() const { return building.empty() && unit.empty() && room.empty(); }
  friend bool operator==(const PlaceInFacility&, const PlaceInFacility&) = default;
};

}  // namespace opcat::domain
