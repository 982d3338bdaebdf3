// How validation errors read: record, id, field, rule; and that they never quote content.
#include <gtest/gtest.h>

#include "domain/finding.h"
#include "domain/interview.h"
#include "domain/validation.h"
#include "sample_records.h"

namespace opcat::domain {
namespace {

using samples::kFindingId;
using samples::sample;

TEST(ValidationErrorTest, ToStringNamesRecordIdFieldAndRule) {
  Finding f = sample<Finding>();
  f.title.clear();
  const auto errors = validate(f);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].record, "Finding");
  EXPECT_EQ(errors[0].recordId, kFindingId);
  EXPECT_EQ(errors[0].toString(), std::string("Finding ") + kFindingId + ": title: required");
}

TEST(ValidationErrorTest, ToStringAddsTheDetail) {
  const ValidationError error{"Finding", kFindingId, "severity", "enum_range", "99"};
  EXPECT_EQ(error.toString(), std::string("Finding ") + kFindingId + ": severity: enum_range (99)");
}

TEST(ValidationStatusTest, OkWhenThereAreNoErrors) {
  EXPECT_TRUE(validationStatus(validate(sample<Finding>())).isOk());
}

TEST(ValidationStatusTest, InvalidArgumentListsEveryError) {
  Finding f = sample<Finding>();
  f.title.clear();
  f.severity = static_cast<Severity>(7);
  const Status status = validationStatus(validate(f));
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(status.message(),
            std::string("Finding ") + kFindingId + ": severity: enum_range (7); title: required");
}

TEST(ValidationStatusTest, ErrorsOfAnotherRecordNameTheirOwn) {
  const std::vector<ValidationError> errors = {
      {"Finding", kFindingId, "title", "required", ""},
      {"Interview", samples::kInterviewId, "reprisal_risk", "required", ""}};
  EXPECT_EQ(validationStatus(errors).message(),
            std::string("Finding ") + kFindingId + ": title: required; Interview " +
                samples::kInterviewId + ": reprisal_risk: required");
}

TEST(ValidationStatusTest, MalformedIdIsNotEchoed) {
  Finding f = sample<Finding>();
  f.id = "Иванов сказал, что его били";
  const Status status = validationStatus(validate(f));
  EXPECT_EQ(status.message(), "Finding: id: uuid");
}

TEST(ValidationStatusTest, ContentIsNeverQuoted) {
  Interview i = sample<Interview>();
  i.notes = std::string(20001, 'S');  // over the limit: the message must not carry the text
  i.pseudonymCode = "Ivanov Petr";
  const Status status = validationStatus(validate(i));
  EXPECT_EQ(status.message(), std::string("Interview ") + samples::kInterviewId +
                                  ": pseudonym_code: format ([A-Za-z0-9-]); notes: max_length "
                                  "(20001 > 20000)");
  EXPECT_EQ(status.message().find("Ivanov"), std::string::npos);
}

TEST(ValidationStatusTest, IdentityDetailsHaveNoId) {
  const Status status = validationStatus(validate(IdentityDetails{}));
  EXPECT_EQ(status.message(), "IdentityDetails: full_name: required");
}

}  // namespace
}  // namespace opcat::domain
