// Process-wide resource limits the server adjusts at start.
#pragma once

#include <cstdint>
#include <string>

namespace opcat::server {

// Raises the soft limit on open files towards `connections` plus a reserve for the store and
// logs (never above the hard limit). Returns a warning for the log when the limit stays too
// low for `connections`, else an empty string.
std::string raiseOpenFileLimit(std::uint32_t connections);

}  // namespace opcat::server
