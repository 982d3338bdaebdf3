// Record ids: client-generated random UUIDs (version 4), in canonical lower-case text form.
// A record's id never changes and is never a local row id.
#pragma once

#include <string>
#include <string_view>

namespace opcat {

// A new random UUID v4, e.g. "3f2b8c1e-9a4d-4e6f-8b21-0c7d5e9f1a23". Uses libsodium's CSPRNG.
std::string newUuid();

// True when `text` is a canonical lower-case UUID (8-4-4-4-12 hex digits).
bool isUuid(std::string_view text);

}  // namespace opcat
