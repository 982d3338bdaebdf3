#include "crypto/secret_key.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cstdint>

namespace opcat::crypto {
namespace {

bool sameBytes(const SecretKey& a, const SecretKey& b) {
  return std::equal(a.bytes().begin(), a.bytes().end(), b.bytes().begin());
}

TEST(SecretKeyTest, RandomKeysDiffer) {
  const SecretKey a = SecretKey::random();
  const SecretKey b = SecretKey::random();
  EXPECT_EQ(a.bytes().size(), SecretKey::kSize);
  EXPECT_FALSE(sameBytes(a, b));
}

TEST(SecretKeyTest, FromBytesCopiesTheBytes) {
  std::array<std::uint8_t, SecretKey::kSize> raw{};
  for (std::size_t i = 0; i < raw.size(); ++i) raw[i] = static_cast<std::uint8_t>(i * 7 + 1);
  const SecretKey key = SecretKey::fromBytes(raw);
  raw[0] = 0;
  EXPECT_EQ(key.data()[0], 1);
  EXPECT_EQ(key.data()[31], static_cast<std::uint8_t>(31 * 7 + 1));
  EXPECT_NE(key.data(), raw.data());
}

TEST(SecretKeyTest, MoveTransfersTheKey) {
  SecretKey a = SecretKey::random();
  const std::uint8_t first = a.data()[0];
  const std::uint8_t* storage = a.data();
  SecretKey b = std::move(a);
  EXPECT_EQ(b.data(), storage);
  EXPECT_EQ(b.data()[0], first);
}

TEST(SecretKeyTest, DeriveIsDeterministicAndSeparatesPurposes) {
  const SecretKey master = SecretKey::random();
  const SecretKey records1 = master.derive(1, "records_");
  const SecretKey records1Again = master.derive(1, "records_");
  const SecretKey records2 = master.derive(2, "records_");
  const SecretKey attachments1 = master.derive(1, "attachmt");
  EXPECT_TRUE(sameBytes(records1, records1Again));
  EXPECT_FALSE(sameBytes(records1, records2));
  EXPECT_FALSE(sameBytes(records1, attachments1));
  EXPECT_FALSE(sameBytes(records1, master));
  EXPECT_FALSE(sameBytes(master.derive(1, "records_"), SecretKey::random().derive(1, "records_")));
}

}  // namespace
}  // namespace opcat::crypto
