// Identity records are sealed at capture to the office's public key (crypto_box_seal): the
// tablet can write them but never read them back; only the office's secret key opens them.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/status.h"
#include "crypto/secret_key.h"

namespace opcat::crypto {

struct OfficePublicKey {
  std::array<std::uint8_t, 32> bytes{};
  // A short stable id of the key (hex of the first 8 bytes of its BLAKE2b hash), so a record can
  // say which office key sealed it. The hash is unkeyed BLAKE2b-256 (crypto_generichash with its
  // default 32-byte output) of the 32 key bytes; the id is 16 lower-case hex characters.
  std::string id() const;
};

struct OfficeKeyPair {
  OfficePublicKey publicKey;
  SecretKey secretKey;  // 32-byte X25519 secret; kept only at the office
  static OfficeKeyPair generate();
};

// Anonymous sealed box of `plaintext` to `recipient`. Output is 48 bytes longer than the input.
// kInvalidArgument if `recipient` is not a usable X25519 public key (e.g. all zeros).
Result<std::string> sealToOffice(std::string_view plaintext, const OfficePublicKey& recipient);

// Office side only. kTampered if the box was altered or sealed to another key.
Result<std::string> openSealed(std::string_view sealed, const OfficeKeyPair& office);

}  // namespace opcat::crypto
