// Validation of the registry: regions, authorities, institutions, checklist templates.
#include <cstdint>
#include <set>
#include <string>
#include <string_view>

#include "domain/limits.h"
#include "domain/registry.h"
#include "domain/validation.h"
#include "domain/validation_checker.h"

namespace opcat::domain {
namespace {

bool isDigit(char c) { return c >= '0' && c <= '9'; }

// ISO 3166-2:KZ numeric form, "KZ-71". The letter codes (KZ-AKM) are obsolete since 2022-23.
bool isKzIsoCode(std::string_view code) {
  return code.size() == 5 && code.substr(0, 3) == "KZ-" && isDigit(code[3]) && isDigit(code[4]);
}

void checkPopulation(Checker& c, const PopulationSnapshot& p) {
  c.nonNegative("recorded_at_ms", p.recordedAtMs);
  c.nonNegative("total", p.total);
  c.nonNegative("men", p.men);
  c.nonNegative("women", p.women);
  c.nonNegative("minors", p.minors);
  c.nonNegative("foreigners", p.foreigners);
  c.nonNegative("persons_with_disabilities", p.personsWithDisabilities);
  // A total of 0 means "not told": the parts may still be known.
  if (p.total > 0) {
    const std::int64_t menAndWomen = std::int64_t{p.men} + std::int64_t{p.women};
    if (menAndWomen > p.total) c.fail("total", "range", "men + women > total");
    if (p.minors > p.total) c.fail("minors", "range", "> total");
    if (p.foreigners > p.total) c.fail("foreigners", "range", "> total");
    if (p.personsWithDisabilities > p.total) {
      c.fail("persons_with_disabilities", "range", "> total");
    }
  }
  c.optionalText("source", p.source, kMaxShortTextChars);
}

bool isChoice(AnswerType type) {
  return type == AnswerType::kSingleChoice || type == AnswerType::kMultipleChoice;
}

void checkQuestion(Checker& c, const Question& q) {
  c.requiredId("id", q.id);
  c.requiredText("code", q.code, kMaxCodeChars);
  c.requiredEnum("area", q.area);
  const std::size_t standards = c.bounded("standards", q.standards.size(), kMaxRepeated);
  for (std::size_t i = 0; i < standards; ++i) {
    c.requiredText(indexed("standards", i), q.standards[i], kMaxShortTextChars);
  }
  c.requiredEnum("answer_type", q.answerType);
  c.localizedName("text", q.text, kMaxQuestionTextChars);
  if (isChoice(q.answerType) && q.options.empty()) {
    c.fail("options", "required", "choice answer");
  } else if (!isChoice(q.answerType) && !q.options.empty()) {
    c.fail("options", "unexpected", "not a choice answer");
  }
  const std::size_t options = c.bounded("options", q.options.size(), kMaxRepeated);
  std::set<std::string_view> codes;
  for (std::size_t i = 0; i < options; ++i) {
    const Checker::Scope scope(c, "options", i);
    const AnswerOption& option = q.options[i];
    c.requiredText("code", option.code, kMaxCodeChars);
    if (!option.code.empty() && !codes.insert(option.code).second) c.fail("code", "unique");
    c.localizedName("label", option.label, kMaxShortTextChars);
  }
  c.optionalLocalized("guidance", q.guidance, kMaxQuestionTextChars);
}

}  // namespace

std::vector<ValidationError> validate(const Region& record) {
  Checker c(recordKindName(Region::kKind), record.id);
  c.requiredId("id", record.id);
  if (record.isoCode.empty()) {
    c.fail("iso_code", "required");
  } else if (!isKzIsoCode(record.isoCode)) {
    c.fail("iso_code", "format", "KZ-NN");
  }
  c.localizedName("name", record.name, kMaxTitleChars);
  return std::move(c).take();
}

std::vector<ValidationError> validate(const Authority& record) {
  Checker c(recordKindName(Authority::kKind), record.id);
  c.requiredId("id", record.id);
  c.requiredText("code", record.code, kMaxCodeChars);
  c.localizedName("name", record.name, kMaxTitleChars);
  return std::move(c).take();
}

std::vector<ValidationError> validate(const Institution& record) {
  Checker c(recordKindName(Institution::kKind), record.id);
  c.requiredId("id", record.id);
  c.localizedName("name", record.name, kMaxTitleChars);
  c.requiredEnum("category", record.category);
  c.requiredId("authority_id", record.authorityId);
  c.requiredId("region_id", record.regionId);
  c.optionalText("address", record.address, kMaxAddressChars);
  c.nonNegative("capacity", record.capacity);
  const std::size_t snapshots = c.bounded("population", record.population.size(), kMaxRepeated);
  for (std::size_t i = 0; i < snapshots; ++i) {
    const Checker::Scope scope(c, "population", i);
    checkPopulation(c, record.population[i]);
  }
  return std::move(c).take();
}

std::vector<ValidationError> validate(const ChecklistTemplate& record) {
  Checker c(recordKindName(ChecklistTemplate::kKind), record.id);
  c.requiredId("id", record.id);
  c.requiredText("code", record.code, kMaxCodeChars);
  c.atLeast("version", record.version, 1);
  c.requiredEnum("category", record.category);
  c.localizedName("title", record.title, kMaxTitleChars);
  const std::size_t questions = c.bounded("questions", record.questions.size(), kMaxQuestions);
  std::set<std::string_view> codes;
  std::set<std::string_view> ids;
  for (std::size_t i = 0; i < questions; ++i) {
    const Checker::Scope scope(c, "questions", i);
    const Question& question = record.questions[i];
    checkQuestion(c, question);
    // Observations name a question by id, reports and exports by code: both must be unambiguous.
    if (!question.id.empty() && !ids.insert(question.id).second) c.fail("id", "unique");
    if (!question.code.empty() && !codes.insert(question.code).second) c.fail("code", "unique");
  }
  return std::move(c).take();
}

}  // namespace opcat::domain
