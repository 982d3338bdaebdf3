#include "crypto/secret_key.h"

#include <sodium.h>

#include <cstdlib>
#include <cstring>

#include "crypto/sodium_init.h"

namespace opcat::crypto {

static_assert(SecretKey::kSize == crypto_kdf_KEYBYTES);
static_assert(SecretKey::kSize == crypto_aead_xchacha20poly1305_ietf_KEYBYTES);
static_assert(SecretKey::kSize == crypto_secretstream_xchacha20poly1305_KEYBYTES);
static_assert(SecretKey::kSize == crypto_box_SECRETKEYBYTES);

namespace {

std::uint8_t* allocateGuarded() {
  ensureSodium();
  // sodium_malloc places the key between guard pages and tries to mlock it (out of swap and core
  // dumps). Failing to allocate 32 bytes means the process cannot go on safely.
  void* p = sodium_malloc(SecretKey::kSize);
  if (p == nullptr) std::abort();
  return static_cast<std::uint8_t*>(p);
}

}  // namespace

void SecretKey::Free::operator()(std::uint8_t* p) const {
  sodium_free(p);  // zeroes the bytes before unmapping them
}

SecretKey::SecretKey() : m_bytes(allocateGuarded()) {}

SecretKey SecretKey::random() {
  SecretKey key;
  randombytes_buf(key.mutableData(), kSize);
  return key;
}

SecretKey SecretKey::fromBytes(std::span<const std::uint8_t> bytes) {
  // A key of the wrong length is a programming error; continuing would mean a weak or
  // truncated key, so stop here rather than encrypt under it.
  if (bytes.size() != kSize) std::abort();
  SecretKey key;
  std::memcpy(key.mutableData(), bytes.data(), kSize);
  return key;
}

SecretKey SecretKey::derive(std::uint64_t subkeyId, const char (&context)[9]) const {
  static_assert(crypto_kdf_CONTEXTBYTES == 8);
  SecretKey subkey;
  if (crypto_kdf_derive_from_key(subkey.mutableData(), kSize, subkeyId, context, data()) != 0) {
    std::abort();  // only fails for sizes outside libsodium's range, which kSize is not
  }
  return subkey;
}

}  // namespace opcat::crypto
