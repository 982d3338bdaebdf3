#include "crypto/record_cipher.h"

#include <sodium.h>

#include <array>
#include <utility>

#include "core/public_random.h"
#include "crypto/sodium_init.h"

namespace opcat::crypto {
namespace {

constexpr std::size_t kNonceSize = crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;
constexpr std::size_t kTagSize = crypto_aead_xchacha20poly1305_ietf_ABYTES;
static_assert(RecordCipher::kOverhead == kNonceSize + kTagSize);

// Associated data: u32 little-endian kind | id bytes. The kind has a fixed width, so no two
// (kind, id) pairs give the same bytes.
std::string associatedData(int kind, std::string_view recordId) {
  const auto k = static_cast<std::uint32_t>(kind);
  std::string ad;
  ad.reserve(4 + recordId.size());
  for (std::size_t i = 0; i < 4; ++i) ad.push_back(static_cast<char>((k >> (8 * i)) & 0xFFU));
  ad.append(recordId);
  return ad;
}

const unsigned char* bytesOf(std::string_view s) {
  return reinterpret_cast<const unsigned char*>(s.data());
}

}  // namespace

RecordCipher::RecordCipher(SecretKey key) : m_key(std::move(key)) { ensureSodium(); }

std::string RecordCipher::seal(std::string_view plaintext, int kind,
                               std::string_view recordId) const {
  const std::string ad = associatedData(kind, recordId);
  std::string sealed(kOverhead + plaintext.size(), '\0');
  auto* out = reinterpret_cast<unsigned char*>(sealed.data());
  publicRandomBytes(out, kNonceSize);  // a nonce is public; it must only never repeat
  unsigned long long cipherLen = 0;
  crypto_aead_xchacha20poly1305_ietf_encrypt(out + kNonceSize, &cipherLen, bytesOf(plaintext),
                                             plaintext.size(), bytesOf(ad), ad.size(), nullptr, out,
                                             m_key.data());
  return sealed;
}

Result<std::string> RecordCipher::open(std::string_view sealed, int kind,
                                       std::string_view recordId) const {
  if (sealed.size() < kOverhead) {
    return Status::error(StatusCode::kTampered, "sealed record is too short");
  }
  const std::string ad = associatedData(kind, recordId);
  std::string plaintext(sealed.size() - kOverhead, '\0');
  unsigned long long plainLen = 0;
  const unsigned char* in = bytesOf(sealed);
  if (crypto_aead_xchacha20poly1305_ietf_decrypt(
          reinterpret_cast<unsigned char*>(plaintext.data()), &plainLen, nullptr, in + kNonceSize,
          sealed.size() - kNonceSize, bytesOf(ad), ad.size(), in, m_key.data()) != 0) {
    sodium_memzero(plaintext.data(), plaintext.size());
    return Status::error(StatusCode::kTampered,
                         "record failed authentication (altered, or another kind or id)");
  }
  return plaintext;
}

}  // namespace opcat::crypto
