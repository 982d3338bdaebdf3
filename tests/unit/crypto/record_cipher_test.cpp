#include "crypto/record_cipher.h"

#include <gtest/gtest.h>

#include <string>

namespace opcat::crypto {
namespace {

constexpr int kVisitKind = 3;
constexpr std::string_view kIdA = "3f2b8c1e-9a4d-4e6f-8b21-0c7d5e9f1a23";
constexpr std::string_view kIdB = "7c9e6679-7425-40de-944b-e07fc1f90ae7";

class RecordCipherTest : public ::testing::Test {
 protected:
  RecordCipher m_cipher{SecretKey::random()};
};

TEST_F(RecordCipherTest, RoundTrips) {
  const std::string texts[] = {"", "x", std::string("with\0nul bytes", 14),
                               std::string(100000, 'a'), "Қазақстан, Россия"};
  for (const std::string& text : texts) {
    const std::string sealed = m_cipher.seal(text, kVisitKind, kIdA);
    EXPECT_EQ(sealed.size(), text.size() + RecordCipher::kOverhead);
    Result<std::string> opened = m_cipher.open(sealed, kVisitKind, kIdA);
    ASSERT_TRUE(opened.isOk()) << opened.status().toString();
    EXPECT_EQ(*opened, text);
  }
}

TEST_F(RecordCipherTest, SealingTwiceGivesDifferentBytesAndHidesThePlaintext) {
  const std::string text = "detainee said the guard CANARY-7d1e5c hit him";
  const std::string a = m_cipher.seal(text, kVisitKind, kIdA);
  const std::string b = m_cipher.seal(text, kVisitKind, kIdA);
  EXPECT_NE(a, b);
  EXPECT_NE(a.substr(0, 24), b.substr(0, 24));  // fresh nonce
  EXPECT_EQ(a.find("CANARY"), std::string::npos);
}

TEST_F(RecordCipherTest, EveryFlippedBitIsTampered) {
  const std::string sealed = m_cipher.seal("a short observation", kVisitKind, kIdA);
  for (std::size_t i = 0; i < sealed.size(); ++i) {
    for (int bit = 0; bit < 8; ++bit) {
      std::string altered = sealed;
      altered[i] = static_cast<char>(altered[i] ^ (1 << bit));
      EXPECT_EQ(m_cipher.open(altered, kVisitKind, kIdA).status().code(), StatusCode::kTampered)
          << "byte " << i << " bit " << bit;
    }
  }
}

TEST_F(RecordCipherTest, TruncationOrExtensionIsTampered) {
  const std::string sealed = m_cipher.seal("a short observation", kVisitKind, kIdA);
  for (std::size_t len = 0; len < sealed.size(); ++len) {
    EXPECT_EQ(m_cipher.open(sealed.substr(0, len), kVisitKind, kIdA).status().code(),
              StatusCode::kTampered)
        << "length " << len;
  }
  EXPECT_EQ(m_cipher.open(sealed + '\0', kVisitKind, kIdA).status().code(), StatusCode::kTampered);
}

TEST_F(RecordCipherTest, WrongIdOrKindIsTampered) {
  const std::string sealed = m_cipher.seal("observation", kVisitKind, kIdA);
  EXPECT_EQ(m_cipher.open(sealed, kVisitKind, kIdB).status().code(), StatusCode::kTampered);
  EXPECT_EQ(m_cipher.open(sealed, kVisitKind + 1, kIdA).status().code(), StatusCode::kTampered);
  EXPECT_EQ(m_cipher.open(sealed, -kVisitKind, kIdA).status().code(), StatusCode::kTampered);
  EXPECT_EQ(m_cipher.open(sealed, kVisitKind, "").status().code(), StatusCode::kTampered);
  EXPECT_EQ(m_cipher.open(sealed, kVisitKind, kIdA.substr(0, 35)).status().code(),
            StatusCode::kTampered);
}

TEST_F(RecordCipherTest, KindAndIdAreBoundUnambiguously) {
  // An encoding like "<kind><id>" as text would give these two the same associated data.
  const std::string sealed = m_cipher.seal("observation", 1, "23");
  EXPECT_EQ(m_cipher.open(sealed, 12, "3").status().code(), StatusCode::kTampered);
  const std::string sealedZero = m_cipher.seal("observation", 0, "");
  EXPECT_EQ(m_cipher.open(sealedZero, 0, std::string(1, '\0')).status().code(),
            StatusCode::kTampered);
}

TEST_F(RecordCipherTest, SwappedCiphertextsAreTampered) {
  const std::string sealedA = m_cipher.seal("record A", kVisitKind, kIdA);
  const std::string sealedB = m_cipher.seal("record B", kVisitKind, kIdB);
  EXPECT_EQ(m_cipher.open(sealedB, kVisitKind, kIdA).status().code(), StatusCode::kTampered);
  EXPECT_EQ(m_cipher.open(sealedA, kVisitKind, kIdB).status().code(), StatusCode::kTampered);
  EXPECT_EQ(*m_cipher.open(sealedA, kVisitKind, kIdA), "record A");
  EXPECT_EQ(*m_cipher.open(sealedB, kVisitKind, kIdB), "record B");
}

TEST_F(RecordCipherTest, AnotherKeyCannotOpen) {
  const std::string sealed = m_cipher.seal("observation", kVisitKind, kIdA);
  const RecordCipher other{SecretKey::random()};
  EXPECT_EQ(other.open(sealed, kVisitKind, kIdA).status().code(), StatusCode::kTampered);
}

}  // namespace
}  // namespace opcat::crypto
