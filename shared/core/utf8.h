// UTF-8 checks used by validation at every input boundary.
#pragma once

#include <cstddef>
#include <string_view>

namespace opcat {

// True when `text` is well-formed UTF-8 (no overlongs, no surrogates, nothing past U+10FFFF).
bool isValidUtf8(std::string_view text);

// Number of Unicode code points in well-formed UTF-8 `text`; length limits count these,
// so a Kazakh title is not held to half the limit of an English one.
std::size_t utf8Length(std::string_view text);

}  // namespace opcat
