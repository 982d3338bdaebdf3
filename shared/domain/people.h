// The people who use the system: monitors, their visiting groups, and coordinators
// (opcat.v1 people.proto).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "domain/common.h"
#include "domain/record_kind.h"

namespace opcat::domain {

// A civil-society member of the NPM who visits institutions.
struct Monitor {
  static constexpr RecordKind kKind = RecordKind::kMonitor;

  std::string id;
  std::string fullName;
  std::string organisation;
  std::string profession;  // lawyer, doctor, psychologist
  std::vector<Language> languages;
  std::string email;
  std::string phone;
  bool active = false;

  std::string_view parentId() const { return {}; }
  friend bool operator==(const Monitor&, const Monitor&) = default;
};

enum class TeamRole : int {
  kUnspecified = 0,
  kLeader = 1,
  kMember = 2,
  kDoctor = 3,
  kLawyer = 4,
  kPsychologist = 5,
  kInterpreter = 6,
};
constexpr TeamRole lastEnumValue(TeamRole) { return TeamRole::kInterpreter; }

struct TeamMember {
  std::string monitorId;
  TeamRole role = TeamRole::kUnspecified;

  friend bool operator==(const TeamMember&, const TeamMember&) = default;
};

// A visiting group formed from NPM participants.
struct Team {
  static constexpr RecordKind kKind = RecordKind::kTeam;

  std::string id;
  std::string name;
  std::string regionId;
  std::vector<TeamMember> members;

  std::string_view parentId() const { return {}; }
  friend bool operator==(const Team&, const Team&) = default;
};

// Staff of the Commissioner's office who plan visits and review reports, for some regions.
struct Coordinator {
  static constexpr RecordKind kKind = RecordKind::kCoordinator;

  std::string id;
  std::string fullName;
  std::string email;
  std::vector<std::string> regionIds;
  bool active = false;

  std::string_view parentId() const { return {}; }
  friend bool operator==(const Coordinator&, const Coordinator&) = default;
};

}  // namespace opcat::domain
