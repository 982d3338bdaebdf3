// Internal to opcat_domain: the checks every validate() overload is made of, so that a rule is
// written once and its error reads the same everywhere.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "domain/common.h"
#include "domain/localized_text.h"
#include "domain/validation.h"

namespace opcat::domain {

// "sources[2]": the name of element `index` of a repeated field.
std::string indexed(std::string_view field, std::size_t index);

// Collects the errors of one record. Field names are proto names, relative to the current Scope.
class Checker {
 public:
  // `recordId` goes into each error only when it is a UUID: a malformed id is arbitrary bytes
  // that must not reach a log (its own "id" error says what is wrong).
  Checker(std::string_view record, std::string_view recordId);

  // While alive, names the nested message being checked: fields become "place.room" or
  // "sources[2].record_id". Scopes nest.
  class Scope {
   public:
    Scope(Checker& checker, std::string_view field);
    Scope(Checker& checker, std::string_view field, std::size_t index);
    ~Scope();
    Scope(const Scope&) = delete;
    Scope& operator=(const Scope&) = delete;

   private:
    Checker& m_checker;
    std::size_t m_previousLength;
  };

  // While alive, the errors reported break a rule that ties fields together (see
  // ValidationError::linksFields). Nests like Scope.
  class Linked {
   public:
    explicit Linked(Checker& checker) : m_checker(checker) { ++m_checker.m_linked; }
    ~Linked() { --m_checker.m_linked; }
    Linked(const Linked&) = delete;
    Linked& operator=(const Linked&) = delete;

   private:
    Checker& m_checker;
  };

  void fail(std::string_view field, std::string_view rule, std::string detail = {});

  // Ids: a required one must be a canonical UUID, an optional one empty or a UUID.
  void requiredId(std::string_view field, std::string_view value);
  void optionalId(std::string_view field, std::string_view value);

  // Text: valid UTF-8 of at most `maxChars` code points; a required one also non-empty.
  void requiredText(std::string_view field, std::string_view value, std::size_t maxChars);
  void optionalText(std::string_view field, std::string_view value, std::size_t maxChars);

  // Registry names: kk, ru and en all present (DOMAIN.md: all user-facing text in all three).
  void localizedName(std::string_view field, const LocalizedText& text, std::size_t maxChars);
  // Optional registry text: either absent in all three languages or present in all three.
  void optionalLocalized(std::string_view field, const LocalizedText& text, std::size_t maxChars);

  void place(std::string_view field, const PlaceInFacility& place);

  // Numbers: `value` >= `min`, >= 0 (timestamps, counts, sizes), within [low, high].
  void atLeast(std::string_view field, std::int64_t value, std::int64_t min);
  void nonNegative(std::string_view field, std::int64_t value) { atLeast(field, value, 0); }
  void inRange(std::string_view field, std::int64_t value, std::int64_t low, std::int64_t high);
  // An end not before its start; `endField` carries the error.
  void notBefore(std::string_view endField, std::int64_t end, std::int64_t start);

  // Reports a repeated field longer than `max`; returns how many elements to check further,
  // so a hostile record with a million elements costs one error, not a million.
  std::size_t bounded(std::string_view field, std::size_t count, std::size_t max);

  // Enums: a required one non-zero, both within [0, lastEnumValue(E)].
  template <class E>
  void requiredEnum(std::string_view field, E value) {
    if (static_cast<int>(value) == 0) {
      fail(field, "required");
    } else {
      optionalEnum(field, value);
    }
  }
  template <class E>
  void optionalEnum(std::string_view field, E value) {
    const int number = static_cast<int>(value);
    if (number < 0 || number > static_cast<int>(lastEnumValue(value))) {
      fail(field, "enum_range", std::to_string(number));
    }
  }

  std::vector<ValidationError> take() && { return std::move(m_errors); }

 private:
  std::string path(std::string_view field) const;

  std::string m_record;
  std::string m_recordId;
  std::string m_prefix;  // "questions[3]." inside a Scope
  std::vector<ValidationError> m_errors;
  int m_linked = 0;  // Linked guards alive
};

}  // namespace opcat::domain
