// A private interview under a pseudonym code, and the sealed real identity kept apart from it
// (opcat.v1 Interview, IdentityRecord, IdentityDetails). OPCAT art. 21: do no harm.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "domain/common.h"
#include "domain/record_kind.h"

namespace opcat::domain {

enum class InterviewKind : int {
  kUnspecified = 0,
  kIndividual = 1,
  kGroup = 2,
};
constexpr InterviewKind lastEnumValue(InterviewKind) { return InterviewKind::kGroup; }

enum class IntervieweeCategory : int {
  kUnspecified = 0,
  kConvicted = 1,
  kPretrial = 2,  // suspect or accused
  kAdministrativeArrest = 3,
  kForeigner = 4,
  kPatient = 5,
  kResident = 6,  // social-care home
  kChild = 7,
  kStaff = 8,
  kMedicalStaff = 9,
  kManagement = 10,
  kOther = 11,
};
constexpr IntervieweeCategory lastEnumValue(IntervieweeCategory) {
  return IntervieweeCategory::kOther;
}

enum class ReprisalRisk : int {
  kUnspecified = 0,
  kNone = 1,
  kLow = 2,
  kMedium = 3,
  kHigh = 4,
};
constexpr ReprisalRisk lastEnumValue(ReprisalRisk) { return ReprisalRisk::kHigh; }

// Consent, recorded per interview. Citing, recording or photographing someone presupposes that
// they agreed to the interview; reports never quote a person without toCite.
struct Consent {
  bool toInterview = false;
  bool toCite = false;
  bool toRecord = false;
  bool toPhotograph = false;

  friend bool operator==(const Consent&, const Consent&) = default;
};

// A private interview, stored under a pseudonym code: never a name.
struct Interview {
  static constexpr RecordKind kKind = RecordKind::kInterview;

  std::string id;
  std::string visitId;
  std::string pseudonymCode;  // [A-Za-z0-9-], e.g. "IVS-AST-07"
  InterviewKind kind = InterviewKind::kUnspecified;
  IntervieweeCategory intervieweeCategory = IntervieweeCategory::kUnspecified;
  Consent consent;
  ReprisalRisk reprisalRisk = ReprisalRisk::kUnspecified;
  std::string notes;
  Language language = Language::kUnspecified;
  bool interpreterUsed = false;
  PlaceInFacility place;
  std::int64_t conductedAtMs = 0;
  std::string authorMonitorId;
  std::int32_t groupSize = 0;  // people in a group interview; 0 or 1 for an individual one

  std::string_view parentId() const { return visitId; }
  friend bool operator==(const Interview&, const Interview&) = default;
};

// The real identity of an interviewee, sealed (crypto_box_seal) to the office's public key at
// capture. Tablet and server hold only the ciphertext; only the office can open it.
struct IdentityRecord {
  static constexpr RecordKind kKind = RecordKind::kIdentityRecord;

  std::string id;
  std::string interviewId;
  std::string sealedDetails;  // raw bytes: crypto_box_seal(encode(IdentityDetails))
  std::string officeKeyId;    // which office public key sealed it
  std::int64_t capturedAtMs = 0;

  std::string_view parentId() const { return interviewId; }
  friend bool operator==(const IdentityRecord&, const IdentityRecord&) = default;
};

// The plaintext inside IdentityRecord::sealedDetails. Not a record kind: it exists unsealed only
// in memory, at capture on the tablet and at the office. Never stored unsealed on a tablet.
struct IdentityDetails {
  std::string fullName;
  std::string dateOfBirth;
  std::string identityDocument;
  std::string contact;
  std::string notes;

  friend bool operator==(const IdentityDetails&, const IdentityDetails&) = default;
};

}  // namespace opcat::domain
