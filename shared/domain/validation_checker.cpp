#include "domain/validation_checker.h"

#include "core/utf8.h"
#include "core/uuid.h"
#include "domain/limits.h"

namespace opcat::domain {

std::string indexed(std::string_view field, std::size_t index) {
  std::string name(field);
  name += '[';
  name += std::to_string(index);
  name += ']';
  return name;
}

Checker::Checker(std::string_view record, std::string_view recordId)
    : m_record(record), m_recordId(isUuid(recordId) ? recordId : std::string_view()) {}

Checker::Scope::Scope(Checker& checker, std::string_view field)
    : m_checker(checker), m_previousLength(checker.m_prefix.size()) {
  m_checker.m_prefix += field;
  m_checker.m_prefix += '.';
}

Checker::Scope::Scope(Checker& checker, std::string_view field, std::size_t index)
    : m_checker(checker), m_previousLength(checker.m_prefix.size()) {
  m_checker.m_prefix += indexed(field, index);
  m_checker.m_prefix += '.';
}

Checker::Scope::~Scope() { m_checker.m_prefix.resize(m_previousLength); }

std::string Checker::path(std::string_view field) const {
  std::string full = m_prefix;
  full += field;
  return full;
}

void Checker::fail(std::string_view field, std::string_view rule, std::string detail) {
  m_errors.push_back(ValidationError{m_record, m_recordId, path(field), std::string(rule),
                                     std::move(detail), m_linked > 0});
}

void Checker::requiredId(std::string_view field, std::string_view value) {
  if (value.empty()) {
    fail(field, "required");
  } else {
    optionalId(field, value);
  }
}

void Checker::optionalId(std::string_view field, std::string_view value) {
  if (!value.empty() && !isUuid(value)) fail(field, "uuid");
}

void Checker::requiredText(std::string_view field, std::string_view value, std::size_t maxChars) {
  if (value.empty()) {
    fail(field, "required");
  } else {
    optionalText(field, value, maxChars);
  }
}

void Checker::optionalText(std::string_view field, std::string_view value, std::size_t maxChars) {
  if (!isValidUtf8(value)) {
    fail(field, "utf8");
    return;
  }
  // Bytes bound code points from above: skip the count for the common short text.
  if (value.size() <= maxChars) return;
  const std::size_t length = utf8Length(value);
  if (length > maxChars) {
    fail(field, "max_length", std::to_string(length) + " > " + std::to_string(maxChars));
  }
}

void Checker::localizedName(std::string_view field, const LocalizedText& text,
                            std::size_t maxChars) {
  const Scope scope(*this, field);
  requiredText("kk", text.kk, maxChars);
  requiredText("ru", text.ru, maxChars);
  requiredText("en", text.en, maxChars);
}

void Checker::optionalLocalized(std::string_view field, const LocalizedText& text,
                                std::size_t maxChars) {
  if (text.empty()) return;
  localizedName(field, text, maxChars);
}

void Checker::place(std::string_view field, const PlaceInFacility& place) {
  const Scope scope(*this, field);
  optionalText("building", place.building, kMaxShortTextChars);
  optionalText("unit", place.unit, kMaxShortTextChars);
  optionalText("room", place.room, kMaxShortTextChars);
}

void Checker::atLeast(std::string_view field, std::int64_t value, std::int64_t min) {
  if (value < min) fail(field, "range", std::to_string(value) + " < " + std::to_string(min));
}

void Checker::inRange(std::string_view field, std::int64_t value, std::int64_t low,
                      std::int64_t high) {
  if (value < low || value > high) {
    fail(field, "range",
         std::to_string(value) + " not in [" + std::to_string(low) + ", " + std::to_string(high) +
             "]");
  }
}

void Checker::notBefore(std::string_view endField, std::int64_t end, std::int64_t start) {
  const Linked linked(*this);
  if (end < start) fail(endField, "order", "ends before it starts");
}

std::size_t Checker::bounded(std::string_view field, std::size_t count, std::size_t max) {
  if (count <= max) return count;
  fail(field, "max_count", std::to_string(count) + " > " + std::to_string(max));
  return max;
}

}  // namespace opcat::domain
