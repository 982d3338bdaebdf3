// Validation of regions, authorities, institutions and checklist templates.
#include <gtest/gtest.h>

#include "domain/limits.h"
#include "domain/registry.h"
#include "domain/validation.h"
#include "sample_records.h"

namespace opcat::domain {
namespace {

using samples::cyrillic;
using samples::sample;
using samples::uuidFor;
using test::failsOnly;
using test::isValid;

TEST(RegionValidationTest, SampleIsValid) { EXPECT_TRUE(isValid(sample<Region>())); }

TEST(RegionValidationTest, IdIsRequiredAndCanonical) {
  Region r = sample<Region>();
  r.id.clear();
  EXPECT_TRUE(failsOnly(r, "id", "required"));
  r.id = "42";
  EXPECT_TRUE(failsOnly(r, "id", "uuid"));
  r.id = "5D1C2A3E-7B4F-4C1A-9E2D-1A2B3C4D5E01";  // upper case is not canonical
  EXPECT_TRUE(failsOnly(r, "id", "uuid"));
}

TEST(RegionValidationTest, IsoCodeIsKzAndTwoDigits) {
  Region r = sample<Region>();
  r.isoCode.clear();
  EXPECT_TRUE(failsOnly(r, "iso_code", "required"));
  for (const char* bad : {"KZ-7", "KZ-715", "KZ-AKM", "kz-71", "RU-71", "KZ 71"}) {
    r.isoCode = bad;
    EXPECT_TRUE(failsOnly(r, "iso_code", "format")) << bad;
  }
  r.isoCode = "KZ-10";  // Abai region, created 2022
  EXPECT_TRUE(isValid(r));
}

TEST(RegionValidationTest, NameNeedsAllThreeLanguages) {
  Region r = sample<Region>();
  r.name.en.clear();
  EXPECT_TRUE(failsOnly(r, "name.en", "required"));
  r = sample<Region>();
  r.name.kk.clear();
  EXPECT_TRUE(failsOnly(r, "name.kk", "required"));
}

TEST(RegionValidationTest, NameMustBeUtf8AndWithinTitleLimit) {
  Region r = sample<Region>();
  r.name.kk = "\xC0\xAF";  // overlong '/'
  EXPECT_TRUE(failsOnly(r, "name.kk", "utf8"));
  r.name.kk = cyrillic(kMaxTitleChars);  // code points count, not bytes
  EXPECT_TRUE(isValid(r));
  r.name.kk = cyrillic(kMaxTitleChars + 1);
  EXPECT_TRUE(failsOnly(r, "name.kk", "max_length"));
}

TEST(AuthorityValidationTest, SampleIsValid) { EXPECT_TRUE(isValid(sample<Authority>())); }

TEST(AuthorityValidationTest, CodeIsRequiredAndShort) {
  Authority a = sample<Authority>();
  a.code.clear();
  EXPECT_TRUE(failsOnly(a, "code", "required"));
  a.code = std::string(kMaxCodeChars, 'A');
  EXPECT_TRUE(isValid(a));
  a.code = std::string(kMaxCodeChars + 1, 'A');
  EXPECT_TRUE(failsOnly(a, "code", "max_length"));
}

TEST(AuthorityValidationTest, NameNeedsRussian) {
  Authority a = sample<Authority>();
  a.name.ru.clear();
  EXPECT_TRUE(failsOnly(a, "name.ru", "required"));
}

TEST(InstitutionValidationTest, SampleIsValid) { EXPECT_TRUE(isValid(sample<Institution>())); }

TEST(InstitutionValidationTest, CategoryIsRequiredAndKnown) {
  Institution i = sample<Institution>();
  i.category = InstitutionCategory::kUnspecified;
  EXPECT_TRUE(failsOnly(i, "category", "required"));
  i.category = static_cast<InstitutionCategory>(12);
  EXPECT_TRUE(failsOnly(i, "category", "enum_range"));
  i.category = static_cast<InstitutionCategory>(-1);
  EXPECT_TRUE(failsOnly(i, "category", "enum_range"));
  i.category = InstitutionCategory::kMilitaryGuardhouse;
  EXPECT_TRUE(isValid(i));
}

TEST(InstitutionValidationTest, AuthorityAndRegionAreRequiredIds) {
  Institution i = sample<Institution>();
  i.authorityId = "MIA";
  EXPECT_TRUE(failsOnly(i, "authority_id", "uuid"));
  i = sample<Institution>();
  i.regionId.clear();
  EXPECT_TRUE(failsOnly(i, "region_id", "required"));
}

TEST(InstitutionValidationTest, AddressIsUtf8) {
  Institution i = sample<Institution>();
  i.address = "ул. \xC0\xAF";
  EXPECT_TRUE(failsOnly(i, "address", "utf8"));
  i.address = cyrillic(kMaxAddressChars + 1);
  EXPECT_TRUE(failsOnly(i, "address", "max_length"));
}

TEST(InstitutionValidationTest, CapacityAndCountsAreNotNegative) {
  Institution i = sample<Institution>();
  i.capacity = -1;
  EXPECT_TRUE(failsOnly(i, "capacity", "range"));
  i = sample<Institution>();
  i.population[1].foreigners = -2;
  EXPECT_TRUE(failsOnly(i, "population[1].foreigners", "range"));
  i = sample<Institution>();
  i.population[0].recordedAtMs = -5;
  EXPECT_TRUE(failsOnly(i, "population[0].recorded_at_ms", "range"));
}

TEST(InstitutionValidationTest, MenAndWomenDoNotExceedTotal) {
  Institution i = sample<Institution>();
  i.population[1].women = 6;  // 50 + 6 > 55
  EXPECT_TRUE(failsOnly(i, "population[1].total", "range"));
  i.population[1].women = 5;  // 50 + 5 == 55
  EXPECT_TRUE(isValid(i));
  i.population[0].minors = 43;
  EXPECT_TRUE(failsOnly(i, "population[0].minors", "range"));
}

TEST(InstitutionValidationTest, UnknownTotalAllowsAnyBreakdown) {
  Institution i = sample<Institution>();
  i.population[0].total = 0;  // the management did not say
  EXPECT_TRUE(isValid(i));
}

TEST(InstitutionValidationTest, PopulationHistoryIsBounded) {
  Institution i = sample<Institution>();
  i.population.assign(kMaxRepeated, i.population[0]);
  EXPECT_TRUE(isValid(i));
  i.population.push_back(i.population[0]);
  EXPECT_TRUE(failsOnly(i, "population", "max_count"));
}

TEST(ChecklistValidationTest, SampleIsValid) { EXPECT_TRUE(isValid(sample<ChecklistTemplate>())); }

TEST(ChecklistValidationTest, VersionStartsAtOne) {
  ChecklistTemplate t = sample<ChecklistTemplate>();
  t.version = 0;
  EXPECT_TRUE(failsOnly(t, "version", "range"));
  t.version = 1;
  EXPECT_TRUE(isValid(t));
}

TEST(ChecklistValidationTest, TitleNeedsAllThreeLanguages) {
  ChecklistTemplate t = sample<ChecklistTemplate>();
  t.title.kk.clear();
  EXPECT_TRUE(failsOnly(t, "title.kk", "required"));
}

TEST(ChecklistValidationTest, QuestionCodesAreUnique) {
  ChecklistTemplate t = sample<ChecklistTemplate>();
  t.questions[1].code = t.questions[0].code;
  EXPECT_TRUE(failsOnly(t, "questions[1].code", "unique"));
}

TEST(ChecklistValidationTest, QuestionIdsAreUnique) {
  ChecklistTemplate t = sample<ChecklistTemplate>();
  t.questions[1].id = t.questions[0].id;
  EXPECT_TRUE(failsOnly(t, "questions[1].id", "unique"));
}

TEST(ChecklistValidationTest, QuestionNamesItsArea) {
  ChecklistTemplate t = sample<ChecklistTemplate>();
  t.questions[0].area = ThematicArea::kUnspecified;
  EXPECT_TRUE(failsOnly(t, "questions[0].area", "required"));
  t.questions[0].area = static_cast<ThematicArea>(7);
  EXPECT_TRUE(failsOnly(t, "questions[0].area", "enum_range"));
}

TEST(ChecklistValidationTest, QuestionNeedsAnswerTypeAndText) {
  ChecklistTemplate t = sample<ChecklistTemplate>();
  t.questions[0].answerType = static_cast<AnswerType>(6);
  EXPECT_TRUE(failsOnly(t, "questions[0].answer_type", "enum_range"));
  t = sample<ChecklistTemplate>();
  t.questions[0].text.ru.clear();
  EXPECT_TRUE(failsOnly(t, "questions[0].text.ru", "required"));
  t.questions[0].text.ru = cyrillic(kMaxQuestionTextChars + 1);
  EXPECT_TRUE(failsOnly(t, "questions[0].text.ru", "max_length"));
}

TEST(ChecklistValidationTest, ChoiceQuestionsNeedOptions) {
  ChecklistTemplate t = sample<ChecklistTemplate>();
  t.questions[1].options.clear();
  EXPECT_TRUE(failsOnly(t, "questions[1].options", "required"));
  t.questions[1].answerType = AnswerType::kMultipleChoice;
  EXPECT_TRUE(failsOnly(t, "questions[1].options", "required"));
}

TEST(ChecklistValidationTest, OnlyChoiceQuestionsHaveOptions) {
  ChecklistTemplate t = sample<ChecklistTemplate>();
  t.questions[0].options = t.questions[1].options;  // a yes/no question
  EXPECT_TRUE(failsOnly(t, "questions[0].options", "unexpected"));
}

TEST(ChecklistValidationTest, OptionCodesAreUniqueAndLabelsTrilingual) {
  ChecklistTemplate t = sample<ChecklistTemplate>();
  t.questions[1].options[2].code = "adequate";
  EXPECT_TRUE(failsOnly(t, "questions[1].options[2].code", "unique"));
  t = sample<ChecklistTemplate>();
  t.questions[1].options[0].label.kk.clear();
  EXPECT_TRUE(failsOnly(t, "questions[1].options[0].label.kk", "required"));
}

TEST(ChecklistValidationTest, GuidanceIsAbsentOrTrilingual) {
  ChecklistTemplate t = sample<ChecklistTemplate>();
  t.questions[0].guidance = {};
  EXPECT_TRUE(isValid(t));
  t.questions[0].guidance.ru = "Сверьте журнал.";
  const auto errors = validate(t);
  ASSERT_EQ(errors.size(), 2u) << test::describe(errors);
  EXPECT_EQ(errors[0].field, "questions[0].guidance.kk");
  EXPECT_EQ(errors[1].field, "questions[0].guidance.en");
  EXPECT_EQ(errors[0].rule, "required");
}

TEST(ChecklistValidationTest, StandardsAreNonEmpty) {
  ChecklistTemplate t = sample<ChecklistTemplate>();
  t.questions[0].standards[1].clear();
  EXPECT_TRUE(failsOnly(t, "questions[0].standards[1]", "required"));
}

TEST(ChecklistValidationTest, QuestionCountIsBounded) {
  ChecklistTemplate t = sample<ChecklistTemplate>();
  Question q = t.questions[0];
  t.questions.clear();
  for (unsigned n = 0; n < kMaxQuestions; ++n) {
    q.id = uuidFor(n);
    q.code = "Q-" + std::to_string(n);
    t.questions.push_back(q);
  }
  EXPECT_TRUE(isValid(t));
  q.id = uuidFor(9999);
  q.code = "Q-9999";
  t.questions.push_back(q);
  EXPECT_TRUE(failsOnly(t, "questions", "max_count"));
}

}  // namespace
}  // namespace opcat::domain
