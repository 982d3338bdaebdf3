#include "crypto/sealed_box.h"

#include <gtest/gtest.h>
#include <sodium.h>

#include <string>

namespace opcat::crypto {
namespace {

TEST(SealedBoxTest, OfficeOpensWhatTheTabletSealed) {
  const OfficeKeyPair office = OfficeKeyPair::generate();
  const std::string identity = "Full name: A. B.; cell 14";
  const std::string sealed = sealToOffice(identity, office.publicKey).value();
  EXPECT_EQ(sealed.size(), identity.size() + 48);
  EXPECT_EQ(sealed.find("cell 14"), std::string::npos);
  Result<std::string> opened = openSealed(sealed, office);
  ASSERT_TRUE(opened.isOk()) << opened.status().toString();
  EXPECT_EQ(*opened, identity);
  EXPECT_EQ(*openSealed(sealToOffice("", office.publicKey).value(), office), "");
}

TEST(SealedBoxTest, EachBoxIsFresh) {
  const OfficeKeyPair office = OfficeKeyPair::generate();
  EXPECT_NE(sealToOffice("same", office.publicKey).value(), sealToOffice("same", office.publicKey).value());
}

TEST(SealedBoxTest, AnotherKeyPairCannotOpen) {
  const OfficeKeyPair office = OfficeKeyPair::generate();
  const OfficeKeyPair other = OfficeKeyPair::generate();
  const std::string sealed = sealToOffice("identity", office.publicKey).value();
  EXPECT_EQ(openSealed(sealed, other).status().code(), StatusCode::kTampered);
}

TEST(SealedBoxTest, TamperedOrTruncatedBoxFails) {
  const OfficeKeyPair office = OfficeKeyPair::generate();
  const std::string sealed = sealToOffice("identity of a source", office.publicKey).value();
  for (std::size_t i = 0; i < sealed.size(); ++i) {
    std::string altered = sealed;
    altered[i] = static_cast<char>(altered[i] ^ 0x01);
    EXPECT_EQ(openSealed(altered, office).status().code(), StatusCode::kTampered) << "byte " << i;
  }
  for (std::size_t len = 0; len < sealed.size(); ++len) {
    EXPECT_EQ(openSealed(sealed.substr(0, len), office).status().code(), StatusCode::kTampered)
        << "length " << len;
  }
}

TEST(SealedBoxTest, PublicKeyIdIsStableShortHex) {
  const OfficeKeyPair office = OfficeKeyPair::generate();
  const std::string id = office.publicKey.id();
  ASSERT_EQ(id.size(), 16u);
  EXPECT_EQ(id.find_first_not_of("0123456789abcdef"), std::string::npos);
  EXPECT_EQ(id, office.publicKey.id());
  EXPECT_NE(id, OfficeKeyPair::generate().publicKey.id());

  // Hex of the first 8 bytes of the unkeyed 32-byte BLAKE2b hash of the key.
  std::array<std::uint8_t, crypto_generichash_BYTES> hash{};
  crypto_generichash(hash.data(), hash.size(), office.publicKey.bytes.data(), 32, nullptr, 0);
  std::array<char, 17> hex{};
  sodium_bin2hex(hex.data(), hex.size(), hash.data(), 8);
  EXPECT_EQ(id, std::string(hex.data(), 16));
}

TEST(SealedBoxTest, AllZeroPublicKeyYieldsNoBox) {
  const OfficePublicKey zero{};
  auto refused = sealToOffice("identity", zero);
  ASSERT_FALSE(refused.isOk());
  EXPECT_EQ(refused.status().code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace opcat::crypto
