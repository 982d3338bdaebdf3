// libsodium must be initialised once before use; every crypto entry point calls this.
#pragma once

namespace opcat::crypto {

// Initialises libsodium (thread-safe, idempotent). Aborts if the library cannot start,
// since no key could be generated safely without it.
void ensureSodium();

}  // namespace opcat::crypto
