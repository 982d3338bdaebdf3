// Minimal JSON text helpers for the few fixed-shape documents the server writes itself
// (problems, access-log lines, health). Resource payloads use the protobuf JSON mapping.
#pragma once

#include <string>
#include <string_view>

namespace opcat::server {

// `text` as a JSON string literal, quotes included. Control characters and non-ASCII bytes
// that do not form valid UTF-8 are escaped (\u00XX), so the result is always valid JSON.
std::string jsonQuote(std::string_view text);

}  // namespace opcat::server
