// Validation of interviews and the sealed identities kept apart from them.
#include <algorithm>
#include <string>
#include <string_view>

#include "domain/interview.h"
#include "domain/limits.h"
#include "domain/validation.h"
#include "domain/validation_checker.h"

namespace opcat::domain {
namespace {

bool isPseudonymChar(char ch) {
  return (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') ||
         ch == '-';
}

// A pseudonym is a code, never a name: ASCII letters, digits and '-', so that no one types
// "Ivanov A." into it.
void checkPseudonym(Checker& c, std::string_view code) {
  if (code.empty()) {
    c.fail("pseudonym_code", "required");
  } else if (!std::all_of(code.begin(), code.end(), isPseudonymChar)) {
    c.fail("pseudonym_code", "format", "[A-Za-z0-9-]");
  } else if (code.size() > kMaxPseudonymChars) {  // ASCII: bytes are code points
    c.fail("pseudonym_code", "max_length",
           std::to_string(code.size()) + " > " + std::to_string(kMaxPseudonymChars));
  }
}

// Citing, recording or photographing someone presupposes their consent to the interview.
void checkConsent(Checker& c, const Consent& consent) {
  if (consent.toInterview) return;
  const Checker::Scope scope(c, "consent");
  const Checker::Linked linked(c);
  if (consent.toCite) c.fail("to_cite", "requires", "to_interview");
  if (consent.toRecord) c.fail("to_record", "requires", "to_interview");
  if (consent.toPhotograph) c.fail("to_photograph", "requires", "to_interview");
}

// The size's own bounds first; what the kind requires of it links the two fields, so a size
// beyond any group is an error of its own, whatever the kind.
void checkGroupSize(Checker& c, const Interview& record) {
  if (record.groupSize < 0 || record.groupSize > kMaxGroupSize) {
    c.inRange("group_size", record.groupSize, 0, kMaxGroupSize);
    return;
  }
  const Checker::Linked linked(c);
  if (record.kind == InterviewKind::kGroup) {
    c.inRange("group_size", record.groupSize, 2, kMaxGroupSize);
  } else if (record.kind == InterviewKind::kIndividual) {
    c.inRange("group_size", record.groupSize, 0, 1);
  }
}

}  // namespace

std::vector<ValidationError> validate(const Interview& record) {
  Checker c(recordKindName(Interview::kKind), record.id);
  c.requiredId("id", record.id);
  c.requiredId("visit_id", record.visitId);
  checkPseudonym(c, record.pseudonymCode);
  c.requiredEnum("kind", record.kind);
  c.requiredEnum("interviewee_category", record.intervieweeCategory);
  checkConsent(c, record.consent);
  c.requiredEnum("reprisal_risk", record.reprisalRisk);
  c.optionalText("notes", record.notes, kMaxLongTextChars);
  c.optionalEnum("language", record.language);
  c.place("place", record.place);
  c.nonNegative("conducted_at_ms", record.conductedAtMs);
  c.optionalId("author_monitor_id", record.authorMonitorId);
  checkGroupSize(c, record);
  return std::move(c).take();
}

std::vector<ValidationError> validate(const IdentityRecord& record) {
  Checker c(recordKindName(IdentityRecord::kKind), record.id);
  c.requiredId("id", record.id);
  c.requiredId("interview_id", record.interviewId);
  // Ciphertext: bytes, not text; only its size can be checked.
  if (record.sealedDetails.empty()) {
    c.fail("sealed_details", "required");
  } else if (record.sealedDetails.size() > kMaxSealedDetailsBytes) {
    c.fail("sealed_details", "max_length",
           std::to_string(record.sealedDetails.size()) + " > " +
               std::to_string(kMaxSealedDetailsBytes) + " bytes");
  }
  c.requiredText("office_key_id", record.officeKeyId, kMaxCodeChars);
  c.nonNegative("captured_at_ms", record.capturedAtMs);
  return std::move(c).take();
}

std::vector<ValidationError> validate(const IdentityDetails& details) {
  Checker c("IdentityDetails", {});
  c.requiredText("full_name", details.fullName, kMaxShortTextChars);
  c.optionalText("date_of_birth", details.dateOfBirth, kMaxDateOfBirthChars);
  c.optionalText("identity_document", details.identityDocument, kMaxShortTextChars);
  c.optionalText("contact", details.contact, kMaxShortTextChars);
  c.optionalText("notes", details.notes, kMaxLongTextChars);
  return std::move(c).take();
}

}  // namespace opcat::domain
