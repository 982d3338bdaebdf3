// A strict reader for the small JSON bodies the console's API accepts: one flat object whose
// members are all strings, e.g. {"username":"...","password":"..."}. Anything else (nesting,
// numbers, duplicate keys, invalid UTF-8, trailing bytes) is refused, so a handler never has to
// guess what a client meant. Boost.JSON is not in Debian 12's Boost 1.74.
#pragma once

#include <cstddef>
#include <map>
#include <string>
#include <string_view>

#include "core/status.h"

namespace opcat::server {

struct JsonObjectLimits {
  std::size_t maxMembers = 16;
};

using JsonStringObject = std::map<std::string, std::string, std::less<>>;

// Parses `text` (RFC 8259) as an object of string members, decoding escapes (\uXXXX with
// surrogate pairs) into UTF-8. Fails with kInvalidArgument for anything else; the message
// names the byte offset and what was expected, never quotes the input.
Result<JsonStringObject> parseJsonStringObject(std::string_view text,
                                               const JsonObjectLimits& limits = {});

}  // namespace opcat::server
