// Validation of interviews, identity records and identity details (do no harm).
#include <gtest/gtest.h>

#include "domain/interview.h"
#include "domain/limits.h"
#include "domain/validation.h"
#include "sample_records.h"

namespace opcat::domain {
namespace {

using samples::cyrillic;
using samples::sample;
using test::failsOnly;
using test::isValid;

TEST(InterviewValidationTest, SampleIsValid) { EXPECT_TRUE(isValid(sample<Interview>())); }

TEST(InterviewValidationTest, PseudonymIsRequired) {
  Interview i = sample<Interview>();
  i.pseudonymCode.clear();
  EXPECT_TRUE(failsOnly(i, "pseudonym_code", "required"));
}

TEST(InterviewValidationTest, PseudonymIsACodeNotAName) {
  Interview i = sample<Interview>();
  for (const char* name : {"IVS 07", "Иванов", "Ivanov A.", "A_7", "IVS-07\n"}) {
    i.pseudonymCode = name;
    EXPECT_TRUE(failsOnly(i, "pseudonym_code", "format")) << name;
  }
  i.pseudonymCode = "ivs-ast-07-B";
  EXPECT_TRUE(isValid(i));
}

TEST(InterviewValidationTest, PseudonymIsShort) {
  Interview i = sample<Interview>();
  i.pseudonymCode = std::string(kMaxPseudonymChars, 'A');
  EXPECT_TRUE(isValid(i));
  i.pseudonymCode += 'A';
  EXPECT_TRUE(failsOnly(i, "pseudonym_code", "max_length"));
}

TEST(InterviewValidationTest, CitingNeedsConsentToTheInterview) {
  Interview i = sample<Interview>();
  i.consent = {false, true, false, false};
  EXPECT_TRUE(failsOnly(i, "consent.to_cite", "requires"));
  i.consent = {false, false, true, false};
  EXPECT_TRUE(failsOnly(i, "consent.to_record", "requires"));
  i.consent = {false, false, false, true};
  EXPECT_TRUE(failsOnly(i, "consent.to_photograph", "requires"));
  i.consent = {true, true, true, true};
  EXPECT_TRUE(isValid(i));
  i.consent = {};  // refused: the record says so, and nothing more may be used
  EXPECT_TRUE(isValid(i));
}

TEST(InterviewValidationTest, ReprisalRiskIsRequired) {
  Interview i = sample<Interview>();
  i.reprisalRisk = ReprisalRisk::kUnspecified;
  EXPECT_TRUE(failsOnly(i, "reprisal_risk", "required"));
  i.reprisalRisk = static_cast<ReprisalRisk>(5);
  EXPECT_TRUE(failsOnly(i, "reprisal_risk", "enum_range"));
}

TEST(InterviewValidationTest, KindAndCategoryAreRequired) {
  Interview i = sample<Interview>();
  i.kind = InterviewKind::kUnspecified;
  i.groupSize = 0;
  EXPECT_TRUE(failsOnly(i, "kind", "required"));
  i = sample<Interview>();
  i.intervieweeCategory = static_cast<IntervieweeCategory>(12);
  EXPECT_TRUE(failsOnly(i, "interviewee_category", "enum_range"));
}

TEST(InterviewValidationTest, GroupInterviewsHaveAtLeastTwoPeople) {
  Interview i = sample<Interview>();
  i.kind = InterviewKind::kGroup;
  i.groupSize = 1;
  EXPECT_TRUE(failsOnly(i, "group_size", "range"));
  i.groupSize = 2;
  EXPECT_TRUE(isValid(i));
  i.groupSize = kMaxGroupSize + 1;
  EXPECT_TRUE(failsOnly(i, "group_size", "range"));
}

// A merge of concurrent edits can break a rule between two fields, never a field's own rule:
// the server keeps such a merge (codec::RuleSet::kEachField), so the marks must be exact.
TEST(InterviewValidationTest, OnlyRulesBetweenFieldsAreMarkedAsLinkingThem) {
  Interview i = sample<Interview>();
  i.kind = InterviewKind::kGroup;
  i.groupSize = 1;
  auto errors = validate(i);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_TRUE(errors[0].linksFields);
  i.groupSize = kMaxGroupSize + 1;  // too large for any group: the field's own bound
  errors = validate(i);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_FALSE(errors[0].linksFields);
  i = sample<Interview>();
  i.consent = {false, true, false, false};
  errors = validate(i);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_TRUE(errors[0].linksFields);
  i = sample<Interview>();
  i.pseudonymCode = "Иванов";
  errors = validate(i);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_FALSE(errors[0].linksFields);
}

TEST(InterviewValidationTest, IndividualInterviewsAreOfOnePerson) {
  Interview i = sample<Interview>();
  i.groupSize = 0;
  EXPECT_TRUE(isValid(i));
  i.groupSize = 3;
  EXPECT_TRUE(failsOnly(i, "group_size", "range"));
}

TEST(InterviewValidationTest, LanguageIsOptionalButKnown) {
  Interview i = sample<Interview>();
  i.language = Language::kUnspecified;
  EXPECT_TRUE(isValid(i));
  i.language = static_cast<Language>(4);
  EXPECT_TRUE(failsOnly(i, "language", "enum_range"));
}

TEST(InterviewValidationTest, NotesAreUtf8) {
  Interview i = sample<Interview>();
  i.notes = "\xED\xA0\x80";  // a UTF-16 surrogate
  EXPECT_TRUE(failsOnly(i, "notes", "utf8"));
}

TEST(IdentityRecordValidationTest, SampleIsValid) {
  EXPECT_TRUE(isValid(sample<IdentityRecord>()));
}

TEST(IdentityRecordValidationTest, BelongsToAnInterview) {
  IdentityRecord r = sample<IdentityRecord>();
  r.interviewId.clear();
  EXPECT_TRUE(failsOnly(r, "interview_id", "required"));
  r.interviewId = "IVS-AST-07";  // a pseudonym is not an id
  EXPECT_TRUE(failsOnly(r, "interview_id", "uuid"));
}

TEST(IdentityRecordValidationTest, SealedDetailsAreBoundedBytes) {
  IdentityRecord r = sample<IdentityRecord>();
  r.sealedDetails.clear();
  EXPECT_TRUE(failsOnly(r, "sealed_details", "required"));
  r.sealedDetails.assign(kMaxSealedDetailsBytes, '\xff');  // bytes, not UTF-8
  EXPECT_TRUE(isValid(r));
  r.sealedDetails += '\0';
  EXPECT_TRUE(failsOnly(r, "sealed_details", "max_length"));
}

TEST(IdentityRecordValidationTest, NamesTheOfficeKey) {
  IdentityRecord r = sample<IdentityRecord>();
  r.officeKeyId.clear();
  EXPECT_TRUE(failsOnly(r, "office_key_id", "required"));
}

TEST(IdentityDetailsValidationTest, SampleIsValid) {
  EXPECT_TRUE(isValid(sample<IdentityDetails>()));
}

TEST(IdentityDetailsValidationTest, FullNameIsRequired) {
  IdentityDetails d = sample<IdentityDetails>();
  d.fullName.clear();
  EXPECT_TRUE(failsOnly(d, "full_name", "required"));
  const auto errors = validate(d);
  EXPECT_EQ(errors[0].record, "IdentityDetails");
  EXPECT_EQ(errors[0].recordId, "");
}

TEST(IdentityDetailsValidationTest, TextIsBoundedUtf8) {
  IdentityDetails d = sample<IdentityDetails>();
  d.notes = "\xC0\xAF";
  EXPECT_TRUE(failsOnly(d, "notes", "utf8"));
  d = sample<IdentityDetails>();
  d.dateOfBirth = cyrillic(kMaxDateOfBirthChars + 1);
  EXPECT_TRUE(failsOnly(d, "date_of_birth", "max_length"));
}

}  // namespace
}  // namespace opcat::domain
