#include "crypto/key_file.h"

#include <gtest/gtest.h>
#include <sodium.h>

#include <algorithm>
#include <filesystem>
#include <limits>
#include <string>
#include <vector>

#include "crypto/attachment_stream.h"
#include "crypto/sodium_init.h"
#include "support/file_bytes.h"
#include "support/temp_dir.h"

namespace opcat::crypto {
namespace {

namespace fs = std::filesystem;
using testing::readBytes;
using testing::TempDir;
using testing::writeBytes;

constexpr std::string_view kPassphrase = "correct horse battery staple";

// Layout of key_file.h.
constexpr std::size_t kOpsOffset = 9;
constexpr std::size_t kMemOffset = 17;
constexpr std::size_t kSaltOffset = 25;
constexpr std::size_t kNonceOffset = 41;
constexpr std::size_t kWrappedOffset = 65;
constexpr std::size_t kFileSize = 113;

void storeLe64(std::vector<std::uint8_t>& bytes, std::size_t offset, std::uint64_t v) {
  for (std::size_t i = 0; i < 8; ++i) bytes[offset + i] = static_cast<std::uint8_t>(v >> (8 * i));
}

bool sameKey(const SecretKey& a, const SecretKey& b) {
  return std::equal(a.bytes().begin(), a.bytes().end(), b.bytes().begin());
}

class KeyFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Result<SecretKey> key = KeyFile::create(m_file, kPassphrase, Argon2Params::fastForTests());
    ASSERT_TRUE(key.isOk()) << key.status().toString();
    m_dataKey.emplace(std::move(key).value());
  }

  TempDir m_dir;
  fs::path m_file = m_dir.path() / "tablet.key";
  std::optional<SecretKey> m_dataKey;
};

TEST_F(KeyFileTest, UnlockReturnsTheCreatedKey) {
  Result<SecretKey> unlocked = KeyFile::unlock(m_file, kPassphrase);
  ASSERT_TRUE(unlocked.isOk()) << unlocked.status().toString();
  EXPECT_TRUE(sameKey(*unlocked, *m_dataKey));
  EXPECT_FALSE(fs::exists(m_dir.path() / "tablet.key.tmp"));
}

TEST_F(KeyFileTest, FileFollowsTheDocumentedLayout) {
  const std::vector<std::uint8_t> bytes = readBytes(m_file);
  ASSERT_EQ(bytes.size(), kFileSize);
  EXPECT_EQ(std::string(bytes.begin(), bytes.begin() + 8), "OPCATKEY");
  EXPECT_EQ(bytes[8], 1);
  const Argon2Params fast = Argon2Params::fastForTests();
  EXPECT_EQ(bytes[kOpsOffset], static_cast<std::uint8_t>(fast.opsLimit));
  EXPECT_EQ(bytes[kMemOffset + 1], static_cast<std::uint8_t>(fast.memLimitBytes >> 8));
}

TEST_F(KeyFileTest, FileNeverContainsTheDataKey) {
  const std::vector<std::uint8_t> bytes = readBytes(m_file);
  const auto key = m_dataKey->bytes();
  EXPECT_EQ(std::search(bytes.begin(), bytes.end(), key.begin(), key.end()), bytes.end());
  // Not even a quarter of it.
  EXPECT_EQ(std::search(bytes.begin(), bytes.end(), key.begin(), key.begin() + 8), bytes.end());
}

TEST_F(KeyFileTest, WrongPassphraseIsReportedAndLeavesTheFileUntouched) {
  const std::vector<std::uint8_t> before = readBytes(m_file);
  Result<SecretKey> unlocked = KeyFile::unlock(m_file, "correct horse battery stapler");
  ASSERT_FALSE(unlocked.isOk());
  EXPECT_EQ(unlocked.status().code(), StatusCode::kWrongPassphrase);
  EXPECT_EQ(KeyFile::unlock(m_file, "").status().code(), StatusCode::kWrongPassphrase);
  EXPECT_EQ(readBytes(m_file), before);
}

TEST_F(KeyFileTest, EveryFlippedByteIsDetected) {
  const std::vector<std::uint8_t> original = readBytes(m_file);
  ASSERT_EQ(original.size(), kFileSize);
  for (std::size_t i = 0; i < original.size(); ++i) {
    const char* region = i < 9                ? "magic/version"
                         : i < kSaltOffset    ? "Argon2 params"
                         : i < kNonceOffset   ? "salt"
                         : i < kWrappedOffset ? "nonce"
                                              : "wrapped key";
    SCOPED_TRACE(std::string(region) + " byte " + std::to_string(i));
    std::vector<std::uint8_t> bytes = original;
    bytes[i] ^= static_cast<std::uint8_t>(1U << (i % 8));
    writeBytes(m_file, bytes);
    Result<SecretKey> unlocked = KeyFile::unlock(m_file, kPassphrase);
    ASSERT_FALSE(unlocked.isOk());
    // Without the passphrase-derived key, a change to the authenticated bytes cannot be told
    // apart from a wrong passphrase; only format errors are recognisable as such.
    const StatusCode code = unlocked.status().code();
    if (i < 9) {
      EXPECT_EQ(code, StatusCode::kCorrupt);
    } else {
      EXPECT_TRUE(code == StatusCode::kCorrupt || code == StatusCode::kWrongPassphrase)
          << unlocked.status().toString();
    }
  }
  writeBytes(m_file, original);
  EXPECT_TRUE(KeyFile::unlock(m_file, kPassphrase).isOk());
}

TEST_F(KeyFileTest, TruncatedOrExtendedFileIsCorrupt) {
  const std::vector<std::uint8_t> original = readBytes(m_file);
  for (std::size_t len = 0; len < original.size(); ++len) {
    SCOPED_TRACE("length " + std::to_string(len));
    writeBytes(m_file, std::vector<std::uint8_t>(
                           original.begin(), original.begin() + static_cast<std::ptrdiff_t>(len)));
    EXPECT_EQ(KeyFile::unlock(m_file, kPassphrase).status().code(), StatusCode::kCorrupt);
  }
  std::vector<std::uint8_t> longer = original;
  longer.push_back(0);
  writeBytes(m_file, longer);
  EXPECT_EQ(KeyFile::unlock(m_file, kPassphrase).status().code(), StatusCode::kCorrupt);
}

TEST_F(KeyFileTest, ForeignFileIsCorrupt) {
  std::vector<std::uint8_t> noise(kFileSize);
  randombytes_buf(noise.data(), noise.size());
  writeBytes(m_file, noise);
  EXPECT_EQ(KeyFile::unlock(m_file, kPassphrase).status().code(), StatusCode::kCorrupt);
  const std::string text = "this is a shopping list, not a key file";
  writeBytes(m_file, std::vector<std::uint8_t>(text.begin(), text.end()));
  EXPECT_EQ(KeyFile::unlock(m_file, kPassphrase).status().code(), StatusCode::kCorrupt);
}

TEST_F(KeyFileTest, AbsurdCostIsRefusedBeforeAnyWork) {
  const std::vector<std::uint8_t> original = readBytes(m_file);
  const Argon2Params fast = Argon2Params::fastForTests();
  struct Case {
    const char* name;
    std::uint64_t ops;
    std::uint64_t mem;
  };
  const std::uint64_t kGiB = std::uint64_t{1} << 30;
  const Case cases[] = {
      {"ops 0", 0, fast.memLimitBytes},
      {"ops 101", 101, fast.memLimitBytes},
      {"ops max", std::numeric_limits<std::uint64_t>::max(), fast.memLimitBytes},
      {"mem 1 KiB", fast.opsLimit, 1024},
      {"mem 0", fast.opsLimit, 0},
      {"mem 1 GiB + 1", fast.opsLimit, kGiB + 1},
      {"mem 64 GiB", fast.opsLimit, 64 * kGiB},
      {"mem max", fast.opsLimit, std::numeric_limits<std::uint64_t>::max()},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    std::vector<std::uint8_t> bytes = original;
    storeLe64(bytes, kOpsOffset, c.ops);
    storeLe64(bytes, kMemOffset, c.mem);
    writeBytes(m_file, bytes);
    EXPECT_EQ(KeyFile::unlock(m_file, kPassphrase).status().code(), StatusCode::kCorrupt);
    EXPECT_EQ(KeyFile::changePassphrase(m_file, kPassphrase, "new one").code(),
              StatusCode::kCorrupt);
    EXPECT_EQ(readBytes(m_file), bytes);
    EXPECT_EQ(KeyFile::create(m_dir.path() / "other.key", kPassphrase,
                              Argon2Params{c.ops, static_cast<std::size_t>(c.mem)})
                  .status()
                  .code(),
              StatusCode::kInvalidArgument);
  }
}

TEST(KeyFileParamsTest, ProductionCostMeetsTheRequirementAndIsAccepted) {
  const Argon2Params production = Argon2Params::production();
  EXPECT_GE(production.memLimitBytes, std::size_t{64} << 20);
  EXPECT_GE(production.opsLimit, std::uint64_t{crypto_pwhash_OPSLIMIT_MODERATE});
  // Within the bounds unlock() accepts, or a production key file could never be opened.
  EXPECT_LE(production.memLimitBytes, std::size_t{1} << 30);
  EXPECT_LE(production.opsLimit, 100u);
  const Argon2Params fast = Argon2Params::fastForTests();
  EXPECT_EQ(fast.opsLimit, std::uint64_t{crypto_pwhash_OPSLIMIT_MIN});
  EXPECT_EQ(fast.memLimitBytes, std::size_t{crypto_pwhash_MEMLIMIT_MIN});
}

TEST_F(KeyFileTest, ChangePassphraseRewrapsTheSameKey) {
  const std::vector<std::uint8_t> before = readBytes(m_file);
  ASSERT_TRUE(KeyFile::changePassphrase(m_file, kPassphrase, "a new passphrase").isOk());
  const std::vector<std::uint8_t> after = readBytes(m_file);
  ASSERT_EQ(after.size(), kFileSize);
  // Same cost, new salt and nonce.
  EXPECT_TRUE(std::equal(before.begin(), before.begin() + kSaltOffset, after.begin()));
  EXPECT_FALSE(std::equal(before.begin() + kSaltOffset, before.begin() + kNonceOffset,
                          after.begin() + kSaltOffset));
  EXPECT_FALSE(std::equal(before.begin() + kNonceOffset, before.begin() + kWrappedOffset,
                          after.begin() + kNonceOffset));
  EXPECT_FALSE(fs::exists(m_dir.path() / "tablet.key.tmp"));

  EXPECT_EQ(KeyFile::unlock(m_file, kPassphrase).status().code(), StatusCode::kWrongPassphrase);
  Result<SecretKey> unlocked = KeyFile::unlock(m_file, "a new passphrase");
  ASSERT_TRUE(unlocked.isOk()) << unlocked.status().toString();
  EXPECT_TRUE(sameKey(*unlocked, *m_dataKey));
}

TEST_F(KeyFileTest, ChangePassphraseWithWrongOldPassphraseChangesNothing) {
  const std::vector<std::uint8_t> before = readBytes(m_file);
  EXPECT_EQ(KeyFile::changePassphrase(m_file, "not it", "a new passphrase").code(),
            StatusCode::kWrongPassphrase);
  EXPECT_EQ(KeyFile::changePassphrase(m_file, kPassphrase, "").code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(readBytes(m_file), before);
  EXPECT_EQ(KeyFile::changePassphrase(m_dir.path() / "missing.key", kPassphrase, "x").code(),
            StatusCode::kNotFound);
}

TEST_F(KeyFileTest, DestroyThenUnlockIsNotFound) {
  writeBytes(m_dir.path() / "tablet.key.tmp", readBytes(m_file));  // as if a change was cut off
  ASSERT_TRUE(KeyFile::destroy(m_file).isOk());
  EXPECT_FALSE(fs::exists(m_file));
  EXPECT_FALSE(fs::exists(m_dir.path() / "tablet.key.tmp"));
  EXPECT_EQ(KeyFile::unlock(m_file, kPassphrase).status().code(), StatusCode::kNotFound);
  EXPECT_TRUE(KeyFile::destroy(m_file).isOk());  // idempotent
}

TEST_F(KeyFileTest, CreateRefusesAnExistingFileAndAnEmptyPassphrase) {
  const std::vector<std::uint8_t> before = readBytes(m_file);
  EXPECT_EQ(KeyFile::create(m_file, "other", Argon2Params::fastForTests()).status().code(),
            StatusCode::kAlreadyExists);
  EXPECT_EQ(readBytes(m_file), before);
  const fs::path other = m_dir.path() / "other.key";
  EXPECT_EQ(KeyFile::create(other, "", Argon2Params::fastForTests()).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_FALSE(fs::exists(other));
}

TEST_F(KeyFileTest, EachFileGetsItsOwnKeyAndSalt) {
  const fs::path other = m_dir.path() / "other.key";
  Result<SecretKey> otherKey = KeyFile::create(other, kPassphrase, Argon2Params::fastForTests());
  ASSERT_TRUE(otherKey.isOk());
  EXPECT_FALSE(sameKey(*otherKey, *m_dataKey));
  const std::vector<std::uint8_t> a = readBytes(m_file);
  const std::vector<std::uint8_t> b = readBytes(other);
  EXPECT_FALSE(
      std::equal(a.begin() + kSaltOffset, a.begin() + kNonceOffset, b.begin() + kSaltOffset));
}

TEST(KeyFileMissingTest, UnlockOfMissingFileIsNotFound) {
  TempDir dir;
  EXPECT_EQ(KeyFile::unlock(dir.path() / "absent.key", kPassphrase).status().code(),
            StatusCode::kNotFound);
}

}  // namespace
}  // namespace opcat::crypto
