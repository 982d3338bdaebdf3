// The registry: regions, subordinating authorities, institutions and checklist templates
// (opcat.v1 registry.proto). Maintained by administrators on the server; read-only on tablets.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "domain/common.h"
#include "domain/localized_text.h"
#include "domain/record_kind.h"

namespace opcat::domain {

// One of the 17 oblys or 3 cities of republican significance (ISO 3166-2:KZ).
struct Region {
  static constexpr RecordKind kKind = RecordKind::kRegion;

  std::string id;
  std::string isoCode;  // "KZ-71"
  LocalizedText name;

  std::string_view parentId() const { return {}; }
  friend bool operator==(const Region&, const Region&) = default;
};

// A subordinating authority (ministry, committee, akimat) to which institutions answer.
struct Authority {
  static constexpr RecordKind kKind = RecordKind::kAuthority;

  std::string id;
  std::string code;  // "MIA-CPCS"
  LocalizedText name;

  std::string_view parentId() const { return {}; }
  friend bool operator==(const Authority&, const Authority&) = default;
};

enum class InstitutionCategory : int {
  kUnspecified = 0,
  kPenalColony = 1,
  kPretrialDetention = 2,   // SIZO
  kTemporaryDetention = 3,  // IVS, police special premises
  kSpecialReception = 4,    // administrative arrest
  kReceptionDistribution = 5,
  kForeignersCentre = 6,
  kJuvenileAdaptation = 7,
  kChildrenInstitution = 8,  // special schools, children's homes
  kPsychiatric = 9,          // psychiatric and narcological
  kSocialCare = 10,          // medical-social, homes for elderly and disabled people
  kMilitaryGuardhouse = 11,
};
constexpr InstitutionCategory lastEnumValue(InstitutionCategory) {
  return InstitutionCategory::kMilitaryGuardhouse;
}

// Who was held at a given moment, as told by the management or counted by monitors.
struct PopulationSnapshot {
  std::int64_t recordedAtMs = 0;  // UTC milliseconds
  std::int32_t total = 0;
  std::int32_t men = 0;
  std::int32_t women = 0;
  std::int32_t minors = 0;
  std::int32_t foreigners = 0;
  std::int32_t personsWithDisabilities = 0;
  std::string source;  // "initial talk with management"

  friend bool operator==(const PopulationSnapshot&, const PopulationSnapshot&) = default;
};

struct Institution {
  static constexpr RecordKind kKind = RecordKind::kInstitution;

  std::string id;
  LocalizedText name;
  InstitutionCategory category = InstitutionCategory::kUnspecified;
  std::string authorityId;
  std::string regionId;
  std::string address;
  std::int32_t capacity = 0;
  std::vector<PopulationSnapshot> population;
  bool active = false;

  std::string_view parentId() const { return regionId; }
  friend bool operator==(const Institution&, const Institution&) = default;
};

enum class AnswerType : int {
  kUnspecified = 0,
  kYesNo = 1,
  kSingleChoice = 2,
  kMultipleChoice = 3,
  kNumber = 4,
  kText = 5,
};
constexpr AnswerType lastEnumValue(AnswerType) { return AnswerType::kText; }

struct AnswerOption {
  std::string code;
  LocalizedText label;

  friend bool operator==(const AnswerOption&, const AnswerOption&) = default;
};

// One checklist question; names its thematic area and the standards it rests on.
struct Question {
  std::string id;
  std::string code;  // stable within a template, "TRT-03"
  ThematicArea area = ThematicArea::kUnspecified;
  std::vector<std::string> standards;  // "NMR 43-45", "CPT 21st GR §56-57"
  AnswerType answerType = AnswerType::kUnspecified;
  LocalizedText text;
  std::vector<AnswerOption> options;  // for single and multiple choice only
  LocalizedText guidance;
  bool required = false;

  friend bool operator==(const Question&, const Question&) = default;
};

// A versioned checklist for one institution category. A new version is a new record.
struct ChecklistTemplate {
  static constexpr RecordKind kKind = RecordKind::kChecklistTemplate;

  std::string id;
  std::string code;
  std::int32_t version = 0;
  InstitutionCategory category = InstitutionCategory::kUnspecified;
  LocalizedText title;
  std::vector<Question> questions;
  bool active = false;

  std::string_view parentId() const { return {}; }
  friend bool operator==(const ChecklistTemplate&, const ChecklistTemplate&) = default;
};

}  // namespace opcat::domain
