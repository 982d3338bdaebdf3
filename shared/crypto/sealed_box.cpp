#include "crypto/sealed_box.h"

#include <sodium.h>

#include <array>
#include <utility>

#include "crypto/sodium_init.h"

namespace opcat::crypto {
namespace {

static_assert(crypto_box_PUBLICKEYBYTES == 32);
static_assert(crypto_box_SECRETKEYBYTES == SecretKey::kSize);
static_assert(crypto_box_SEALBYTES == 48);

const unsigned char* bytesOf(std::string_view s) {
  return reinterpret_cast<const unsigned char*>(s.data());
}

}  // namespace

std::string OfficePublicKey::id() const {
  ensureSodium();
  std::array<std::uint8_t, crypto_generichash_BYTES> hash{};
  crypto_generichash(hash.data(), hash.size(), bytes.data(), bytes.size(), nullptr, 0);
  constexpr std::size_t kIdBytes = 8;
  std::array<char, 2 * kIdBytes + 1> hex{};
  sodium_bin2hex(hex.data(), hex.size(), hash.data(), kIdBytes);
  return std::string(hex.data(), 2 * kIdBytes);
}

OfficeKeyPair OfficeKeyPair::generate() {
  ensureSodium();
  OfficePublicKey publicKey;
  SecretKey secretKey = SecretKey::random();  // overwritten: gives guarded memory
  crypto_box_keypair(publicKey.bytes.data(), secretKey.mutableData());
  return OfficeKeyPair{publicKey, std::move(secretKey)};
}

Result<std::string> sealToOffice(std::string_view plaintext, const OfficePublicKey& recipient) {
  ensureSodium();
  std::string sealed(plaintext.size() + crypto_box_SEALBYTES, '\0');
  if (crypto_box_seal(reinterpret_cast<unsigned char*>(sealed.data()), bytesOf(plaintext),
                      plaintext.size(), recipient.bytes.data()) != 0) {
    // A low-order point (e.g. all zeros) is not a usable key.
    return Status::error(StatusCode::kInvalidArgument,
                         "the office public key " + recipient.id() + " is not a usable key");
  }
  return sealed;
}

Result<std::string> openSealed(std::string_view sealed, const OfficeKeyPair& office) {
  ensureSodium();
  if (sealed.size() < crypto_box_SEALBYTES) {
    return Status::error(StatusCode::kTampered, "sealed box is too short");
  }
  std::string plaintext(sealed.size() - crypto_box_SEALBYTES, '\0');
  if (crypto_box_seal_open(reinterpret_cast<unsigned char*>(plaintext.data()), bytesOf(sealed),
                           sealed.size(), office.publicKey.bytes.data(),
                           office.secretKey.data()) != 0) {
    return Status::error(StatusCode::kTampered,
                         "sealed box failed authentication (altered, or sealed to another key)");
  }
  return plaintext;
}

}  // namespace opcat::crypto
