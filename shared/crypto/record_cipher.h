// Seals record contents with XChaCha20-Poly1305 (AEAD). The associated data binds the record's
// kind and id, so a ciphertext moved to another row or record fails to open.
// Sealed form: 24-byte random nonce | ciphertext | 16-byte tag.
// Associated data: u32 little-endian kind | record id bytes (fixed-width kind, so unambiguous).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/status.h"
#include "crypto/secret_key.h"

namespace opcat::crypto {

class RecordCipher {
 public:
  static constexpr std::size_t kOverhead = 24 + 16;

  explicit RecordCipher(SecretKey key);

  // `kind` is the record kind's stable number; `recordId` its UUID. Any other domain that needs
  // binding (outbox, history) passes its own kind number and id.
  std::string seal(std::string_view plaintext, int kind, std::string_view recordId) const;

  // kTampered when the bytes were altered, truncated or belong to another kind or id.
  Result<std::string> open(std::string_view sealed, int kind, std::string_view recordId) const;

 private:
  SecretKey m_key;
};

}  // namespace opcat::crypto
