#include "crypto/secure_file.h"

#include <gtest/gtest.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
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

std::vector<std::uint8_t> bytesOf(std::string_view text) { return {text.begin(), text.end()}; }

TEST(SecureFileTest, WriteAtomicallyCreatesThenReplaces) {
  TempDir dir;
  const fs::path file = dir.path() / "data.bin";
  ASSERT_TRUE(writeFileAtomically(file, bytesOf("first version")).isOk());
  EXPECT_EQ(readBytes(file), bytesOf("first version"));
  ASSERT_TRUE(writeFileAtomically(file, bytesOf("second")).isOk());
  EXPECT_EQ(readBytes(file), bytesOf("second"));
  EXPECT_FALSE(fs::exists(dir.path() / "data.bin.tmp"));
  struct stat st {};
  ASSERT_EQ(::stat(file.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);  // only the app's user may read it
}

TEST(SecureFileTest, WriteAtomicallyAcceptsAnEmptyBuffer) {
  TempDir dir;
  const fs::path file = dir.path() / "empty.bin";
  ASSERT_TRUE(writeFileAtomically(file, {}).isOk());
  EXPECT_TRUE(fs::exists(file));
  EXPECT_EQ(fs::file_size(file), 0u);
}

TEST(SecureFileTest, WriteIntoMissingFolderFailsNamingThePath) {
  TempDir dir;
  const fs::path file = dir.path() / "no-such-folder" / "data.bin";
  const Status status = writeFileAtomically(file, bytesOf("x"));
  ASSERT_FALSE(status.isOk());
  EXPECT_EQ(status.code(), StatusCode::kIoError);
  EXPECT_NE(status.message().find("no-such-folder"), std::string::npos) << status.message();
  EXPECT_NE(status.message().find("No such file"), std::string::npos) << status.message();
}

TEST(SecureFileTest, OverwriteAndRemoveRemovesTheFile) {
  TempDir dir;
  const fs::path file = dir.path() / "secret.bin";
  ASSERT_TRUE(writeFileAtomically(file, bytesOf("secret bytes")).isOk());
  ASSERT_TRUE(overwriteAndRemove(file).isOk());
  EXPECT_FALSE(fs::exists(file));
}

TEST(SecureFileTest, OverwriteAndRemoveSucceedsWhenAbsent) {
  TempDir dir;
  EXPECT_TRUE(overwriteAndRemove(dir.path() / "never-existed").isOk());
}

TEST(SecureFileTest, OverwriteAndRemoveOverwritesTheBytesInPlace) {
  // A second hard link to the same inode lets us see what the bytes became after the unlink.
  TempDir dir;
  const fs::path file = dir.path() / "secret.bin";
  const fs::path witness = dir.path() / "witness.bin";
  const std::string secret(100000, 'S');
  ASSERT_TRUE(writeFileAtomically(file, bytesOf(secret)).isOk());
  fs::create_hard_link(file, witness);
  ASSERT_TRUE(overwriteAndRemove(file).isOk());
  EXPECT_FALSE(fs::exists(file));
  const std::vector<std::uint8_t> after = readBytes(witness);
  ASSERT_EQ(after.size(), secret.size());
  const std::string afterText(after.begin(), after.end());
  EXPECT_EQ(afterText.find("SSSSSSSS"), std::string::npos);
}

TEST(SecureFileTest, OverwriteAndRemoveRefusesAFolder) {
  TempDir dir;
  fs::create_directory(dir.path() / "sub");
  EXPECT_FALSE(overwriteAndRemove(dir.path() / "sub").isOk());
  EXPECT_TRUE(fs::exists(dir.path() / "sub"));
}

TEST(SecureFileTest, SyncDirectory) {
  TempDir dir;
  EXPECT_TRUE(syncDirectory(dir.path()).isOk());
  const Status missing = syncDirectory(dir.path() / "missing");
  EXPECT_EQ(missing.code(), StatusCode::kIoError);
  EXPECT_NE(missing.message().find("missing"), std::string::npos);
}

}  // namespace
}  // namespace opcat::crypto
