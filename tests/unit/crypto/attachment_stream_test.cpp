#include "crypto/attachment_stream.h"

#include <gtest/gtest.h>
#include <sodium.h>

#include <algorithm>
#include <filesystem>
#include <iterator>
#include <string>
#include <vector>

#include "crypto/sodium_init.h"
#include "support/file_bytes.h"
#include "support/temp_dir.h"

namespace opcat::crypto {
namespace {

namespace fs = std::filesystem;
using testing::readBytes;
using testing::TempDir;
using testing::writeBytes;
using Bytes = std::vector<std::uint8_t>;

// Layout of attachment_stream.h.
constexpr std::size_t kPrefixSize = 8 + 1 + 24;
constexpr std::size_t kChunkSize = 64 * 1024;
constexpr std::size_t kFullChunkRecord = 4 + kChunkSize + 17;

constexpr std::string_view kAttachmentId = "0d9c4a52-6a3e-4f5b-9f0e-2b7f1c3d4e5a";

Bytes randomBytes(std::size_t n) {
  Bytes b(n);
  ensureSodium();
  if (n > 0) randombytes_buf(b.data(), b.size());
  return b;
}

bool contains(const Bytes& haystack, std::string_view needle) {
  return std::search(haystack.begin(), haystack.end(), needle.begin(), needle.end()) !=
         haystack.end();
}

// Writes `plaintext` in pieces of `piece` bytes (0: all at once).
Result<AttachmentSummary> writeAttachment(const fs::path& path, const SecretKey& key,
                                          const Bytes& plaintext, std::size_t piece = 0,
                                          std::string_view id = kAttachmentId) {
  Result<std::unique_ptr<AttachmentWriter>> writer = AttachmentWriter::begin(path, key, id);
  if (!writer) return writer.status();
  std::span<const std::uint8_t> rest(plaintext);
  if (piece == 0) piece = std::max<std::size_t>(rest.size(), 1);
  while (!rest.empty()) {
    const std::size_t n = std::min(piece, rest.size());
    OPCAT_RETURN_IF_ERROR((*writer)->write(rest.first(n)));
    rest = rest.subspan(n);
  }
  return (*writer)->finish();
}

struct ReadBack {
  Result<AttachmentSummary> summary;
  Bytes plaintext;
};

ReadBack readBack(const fs::path& path, const SecretKey& key, std::string_view id = kAttachmentId) {
  Bytes out;
  Result<AttachmentSummary> summary =
      readAttachment(path, key, id, [&out](std::span<const std::uint8_t> chunk) {
        EXPECT_LE(chunk.size(), kChunkSize);
        out.insert(out.end(), chunk.begin(), chunk.end());
      });
  return {std::move(summary), std::move(out)};
}

StatusCode readCode(const fs::path& path, const SecretKey& key,
                    std::string_view id = kAttachmentId) {
  const Result<AttachmentSummary> summary =
      readAttachment(path, key, id, [](std::span<const std::uint8_t>) {});
  return summary.isOk() ? StatusCode::kOk : summary.status().code();
}

bool isRejected(StatusCode code) {
  return code == StatusCode::kTampered || code == StatusCode::kCorrupt;
}

TEST(AttachmentStreamTest, RoundTripsEverySize) {
  TempDir dir;
  const SecretKey key = SecretKey::random();
  for (const std::size_t size : {0UL, 1UL, 65535UL, 65536UL, 65537UL, 300000UL}) {
    for (const std::size_t piece : {0UL, 1000UL, 65536UL}) {
      SCOPED_TRACE("size " + std::to_string(size) + " piece " + std::to_string(piece));
      const fs::path path =
          dir.path() / ("a-" + std::to_string(size) + "-" + std::to_string(piece) + ".att");
      const Bytes plaintext = randomBytes(size);
      Result<AttachmentSummary> written = writeAttachment(path, key, plaintext, piece);
      ASSERT_TRUE(written.isOk()) << written.status().toString();
      EXPECT_EQ(written->sizeBytes, size);
      EXPECT_EQ(written->sha256, sha256(plaintext));
      EXPECT_TRUE(fs::exists(path));
      EXPECT_FALSE(fs::exists(path.string() + ".part"));

      ReadBack back = readBack(path, key);
      ASSERT_TRUE(back.summary.isOk()) << back.summary.status().toString();
      EXPECT_EQ(back.plaintext, plaintext);
      EXPECT_EQ(back.summary->sizeBytes, size);
      EXPECT_EQ(back.summary->sha256, sha256(plaintext));
    }
  }
}

TEST(AttachmentStreamTest, FileFollowsTheDocumentedLayout) {
  TempDir dir;
  const SecretKey key = SecretKey::random();
  ASSERT_TRUE(writeAttachment(dir.path() / "empty.att", key, {}).isOk());
  const Bytes empty = readBytes(dir.path() / "empty.att");
  ASSERT_EQ(empty.size(), kPrefixSize + 4 + 17);
  EXPECT_EQ(std::string(empty.begin(), empty.begin() + 8), "OPCATATT");
  EXPECT_EQ(empty[8], 1);
  EXPECT_EQ(empty[kPrefixSize], 17);  // u32 little-endian length of an empty sealed chunk

  // A multiple of the chunk size ends in a full final chunk, not an extra empty one.
  ASSERT_TRUE(writeAttachment(dir.path() / "one.att", key, randomBytes(kChunkSize), 1000).isOk());
  EXPECT_EQ(fs::file_size(dir.path() / "one.att"), kPrefixSize + kFullChunkRecord);
}

TEST(AttachmentStreamTest, CanaryNeverReachesTheDisk) {
  TempDir dir;
  const SecretKey key = SecretKey::random();
  const std::string canary = "OPCAT-CANARY-5e0f1d-detainee-name";
  std::string text;
  while (text.size() < 200000) text += "lorem ipsum " + canary + " ";
  const Bytes plaintext(text.begin(), text.end());
  const fs::path path = dir.path() / "note.att";
  const fs::path part = dir.path() / "note.att.part";

  Result<std::unique_ptr<AttachmentWriter>> writer = AttachmentWriter::begin(path, key, "id");
  ASSERT_TRUE(writer.isOk());
  ASSERT_TRUE((*writer)->write(std::span(plaintext).first(150000)).isOk());
  const Bytes partial = readBytes(part);
  EXPECT_GT(partial.size(), 2 * kChunkSize);  // full chunks are on disk already
  EXPECT_FALSE(contains(partial, canary));
  EXPECT_FALSE(contains(partial, "lorem ipsum"));
  ASSERT_TRUE((*writer)->write(std::span(plaintext).subspan(150000)).isOk());
  ASSERT_TRUE((*writer)->finish().isOk());

  const Bytes final = readBytes(path);
  EXPECT_GT(final.size(), plaintext.size());
  EXPECT_FALSE(contains(final, canary));
  EXPECT_FALSE(contains(final, "lorem ipsum"));
  for (const auto& entry : fs::directory_iterator(dir.path())) {
    EXPECT_FALSE(contains(readBytes(entry.path()), canary)) << entry.path();
  }
}

class AttachmentTamperTest : public ::testing::Test {
 protected:
  void SetUp() override {
    m_plaintext = randomBytes(300000);  // 4 full chunks and a final one of 37856 bytes
    ASSERT_TRUE(writeAttachment(m_path, m_key, m_plaintext, 7777).isOk());
    m_original = readBytes(m_path);
    ASSERT_EQ(m_original.size(), kPrefixSize + 4 * kFullChunkRecord + 4 + 37856 + 17);
    ASSERT_EQ(readCode(m_path, m_key), StatusCode::kOk);
  }

  StatusCode codeOf(const Bytes& bytes, std::string_view id = kAttachmentId) {
    writeBytes(m_path, bytes);
    return readCode(m_path, m_key, id);
  }

  Bytes truncated(std::size_t len) const {
    return Bytes(m_original.begin(), m_original.begin() + static_cast<std::ptrdiff_t>(len));
  }

  TempDir m_dir;
  fs::path m_path = m_dir.path() / "photo.att";
  SecretKey m_key = SecretKey::random();
  Bytes m_plaintext;
  Bytes m_original;
};

TEST_F(AttachmentTamperTest, TruncationAtAChunkBoundaryIsTampered) {
  for (std::size_t k = 0; k <= 4; ++k) {
    EXPECT_EQ(codeOf(truncated(kPrefixSize + k * kFullChunkRecord)), StatusCode::kTampered)
        << "after chunk " << k;
  }
}

TEST_F(AttachmentTamperTest, TruncationMidChunkIsDetected) {
  const std::size_t lengths[] = {kPrefixSize + 2,  // inside a length field
                                 kPrefixSize + 4 + 100, kPrefixSize + kFullChunkRecord + 30000,
                                 m_original.size() - 1};
  for (const std::size_t len : lengths) {
    EXPECT_EQ(codeOf(truncated(len)), StatusCode::kTampered) << "length " << len;
  }
  // Not even a whole header: not an attachment at all.
  for (const std::size_t len : {0UL, 5UL, 9UL, kPrefixSize - 1}) {
    EXPECT_EQ(codeOf(truncated(len)), StatusCode::kCorrupt) << "length " << len;
  }
}

TEST_F(AttachmentTamperTest, FlippedBytesAreDetected) {
  std::vector<std::size_t> offsets = {0,
                                      7,
                                      8,
                                      9,
                                      20,
                                      32,
                                      kPrefixSize,
                                      kPrefixSize + 3,
                                      kPrefixSize + 4,
                                      kPrefixSize + 5000,
                                      kPrefixSize + kFullChunkRecord + 1,
                                      m_original.size() - 17,
                                      m_original.size() - 1};
  for (std::size_t i = 0; i < m_original.size(); i += 4099) offsets.push_back(i);
  for (const std::size_t offset : offsets) {
    Bytes bytes = m_original;
    bytes[offset] ^= 0x10;
    const StatusCode code = codeOf(bytes);
    EXPECT_TRUE(isRejected(code)) << "offset " << offset << ": " << statusCodeName(code);
  }
}

TEST_F(AttachmentTamperTest, AppendedGarbageIsTampered) {
  Bytes bytes = m_original;
  bytes.push_back(0);
  EXPECT_EQ(codeOf(bytes), StatusCode::kTampered);
  // A whole extra chunk copied from the file itself.
  bytes = m_original;
  bytes.insert(bytes.end(), m_original.begin() + kPrefixSize,
               m_original.begin() + kPrefixSize + kFullChunkRecord);
  EXPECT_EQ(codeOf(bytes), StatusCode::kTampered);
}

TEST_F(AttachmentTamperTest, ReorderedChunksAreTampered) {
  Bytes bytes = m_original;
  const auto first = bytes.begin() + kPrefixSize + kFullChunkRecord;
  std::swap_ranges(first, first + kFullChunkRecord, first + kFullChunkRecord);
  EXPECT_EQ(codeOf(bytes), StatusCode::kTampered);
}

TEST_F(AttachmentTamperTest, ForeignIdKeyOrFileIsTampered) {
  EXPECT_EQ(readCode(m_path, m_key, "another-attachment-id"), StatusCode::kTampered);
  EXPECT_EQ(readCode(m_path, m_key, ""), StatusCode::kTampered);
  EXPECT_EQ(readCode(m_path, SecretKey::random()), StatusCode::kTampered);

  // The final chunk of another file with the same key and id does not fit this stream.
  const fs::path other = m_dir.path() / "other.att";
  ASSERT_TRUE(writeAttachment(other, m_key, m_plaintext, 7777).isOk());
  const Bytes otherBytes = readBytes(other);
  Bytes spliced = truncated(kPrefixSize + 4 * kFullChunkRecord);
  spliced.insert(spliced.end(), otherBytes.begin() + kPrefixSize + 4 * kFullChunkRecord,
                 otherBytes.end());
  EXPECT_EQ(codeOf(spliced), StatusCode::kTampered);
}

TEST_F(AttachmentTamperTest, CraftedChunkLengthsAreRefused) {
  for (const std::uint32_t length : {0U, 16U, 65553U + 1U, 0x7FFFFFFFU, 0xFFFFFFFFU}) {
    Bytes bytes = m_original;
    for (std::size_t i = 0; i < 4; ++i) {
      bytes[kPrefixSize + i] = static_cast<std::uint8_t>(length >> (8 * i));
    }
    EXPECT_EQ(codeOf(bytes), StatusCode::kTampered) << "length " << length;
  }
}

TEST(AttachmentStreamTest, MissingFileIsNotFound) {
  TempDir dir;
  EXPECT_EQ(readCode(dir.path() / "absent.att", SecretKey::random()), StatusCode::kNotFound);
}

TEST(AttachmentStreamTest, AbandonedWriterLeavesNoPartFile) {
  TempDir dir;
  const fs::path path = dir.path() / "abandoned.att";
  {
    Result<std::unique_ptr<AttachmentWriter>> writer =
        AttachmentWriter::begin(path, SecretKey::random(), kAttachmentId);
    ASSERT_TRUE(writer.isOk());
    ASSERT_TRUE((*writer)->write(randomBytes(100000)).isOk());
    EXPECT_TRUE(fs::exists(path.string() + ".part"));
  }
  EXPECT_FALSE(fs::exists(path.string() + ".part"));
  EXPECT_FALSE(fs::exists(path));
  EXPECT_TRUE(fs::is_empty(dir.path()));
}

TEST(AttachmentStreamTest, BeginOnAnExistingPathIsAlreadyExists) {
  TempDir dir;
  const SecretKey key = SecretKey::random();
  const fs::path path = dir.path() / "photo.att";
  ASSERT_TRUE(writeAttachment(path, key, randomBytes(10)).isOk());
  const Bytes before = readBytes(path);
  Result<std::unique_ptr<AttachmentWriter>> again = AttachmentWriter::begin(path, key, "x");
  ASSERT_FALSE(again.isOk());
  EXPECT_EQ(again.status().code(), StatusCode::kAlreadyExists);
  EXPECT_EQ(readBytes(path), before);
  EXPECT_FALSE(fs::exists(path.string() + ".part"));
}

TEST(AttachmentStreamTest, FinishedWriterRefusesMoreWork) {
  TempDir dir;
  Result<std::unique_ptr<AttachmentWriter>> writer =
      AttachmentWriter::begin(dir.path() / "a.att", SecretKey::random(), kAttachmentId);
  ASSERT_TRUE(writer.isOk());
  ASSERT_TRUE((*writer)->finish().isOk());
  EXPECT_FALSE((*writer)->write(randomBytes(1)).isOk());
  EXPECT_FALSE((*writer)->finish().isOk());
  writer->reset();
  EXPECT_TRUE(fs::exists(dir.path() / "a.att"));  // a finished file outlives its writer
}

TEST(AttachmentStreamTest, Sha256AndHex) {
  const std::string abc = "abc";
  const Sha256Digest digest = sha256(Bytes(abc.begin(), abc.end()));
  EXPECT_EQ(toHex(digest), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(toHex(sha256({})), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(toHex(std::vector<std::uint8_t>{0x00, 0x0f, 0xa0, 0xff}), "000fa0ff");
}

}  // namespace
}  // namespace opcat::crypto
