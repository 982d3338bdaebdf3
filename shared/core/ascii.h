// ASCII case folding for protocol tokens (HTTP header names, media types, URL schemes, host
// names): these compare without regard to case in ASCII only, whatever the process locale.
#pragma once

#include <cstddef>
#include <string_view>

namespace opcat {

inline char asciiLower(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

inline bool equalsIgnoringAsciiCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (asciiLower(a[i]) != asciiLower(b[i])) return false;
  }
  return true;
}

}  // namespace opcat
