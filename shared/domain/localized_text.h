// Text from the registry and checklists, kept in the three languages of the NPM.
// Mirrors opcat.v1.LocalizedText.
#pragma once

#include <string>

namespace opcat::domain {

// User-facing registry text: Kazakh (the state language, Cyrillic), Russian and English.
struct LocalizedText {
  std::string kk;
  std::string ru;
  std::string en;

  bool empty() const { return kk.empty() && ru.empty() && en.empty(); }
  friend bool operator==(const LocalizedText&, const LocalizedText&) = default;
};

}  // namespace opcat::domain
