#include "crypto/sodium_init.h"

#include <sodium.h>

#include <cstdlib>

namespace opcat::crypto {

void ensureSodium() {
  // A function-local static is initialised exactly once, even with concurrent first callers;
  // sodium_init() itself is also safe to call repeatedly.
  static const bool kReady = sodium_init() >= 0;
  if (!kReady) std::abort();
}

}  // namespace opcat::crypto
