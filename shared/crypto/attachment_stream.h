// Attachment files encrypted with crypto_secretstream_xchacha20poly1305 in 64 KiB chunks, with the
// SHA-256 of the plaintext computed on the way. Plaintext never touches the disk, not even as a
// temporary file: the writer encrypts in memory and writes ciphertext to "<path>.part", then
// fsyncs and renames, so a partial file is never visible under the final name.
//
// File: "OPCATATT" | u8 version | 24-byte stream header | chunks (u32 length | sealed chunk).
// The u32 is little-endian; a sealed chunk holds at most 64 KiB of plaintext plus 17 bytes, and
// only the last chunk may be shorter than 64 KiB (an empty attachment is one empty final chunk).
// The attachment id is the additional data of the first chunk; the last chunk carries TAG_FINAL,
// so truncation and swapping files between attachments are both detected.
#pragma once

#include <array>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "core/status.h"
#include "crypto/secret_key.h"

namespace opcat::crypto {

using Sha256Digest = std::array<std::uint8_t, 32>;

struct AttachmentSummary {
  Sha256Digest sha256{};  // of the plaintext
  std::uint64_t sizeBytes = 0;
};

class AttachmentWriter {
 public:
  // Starts "<path>.part". kAlreadyExists if `path` exists.
  static Result<std::unique_ptr<AttachmentWriter>> begin(const std::filesystem::path& path,
                                                         const SecretKey& key,
                                                         std::string_view attachmentId);
  ~AttachmentWriter();  // an unfinished writer removes its .part file

  Status write(std::span<const std::uint8_t> plaintext);
  // Seals the final chunk, fsyncs, renames to `path`, fsyncs the folder.
  Result<AttachmentSummary> finish();

 private:
  struct State;
  explicit AttachmentWriter(std::unique_ptr<State> state);
  std::unique_ptr<State> m_state;
};

// Streams the plaintext of an attachment file to `sink` chunk by chunk, verifying each.
// kTampered on any altered, reordered, truncated or foreign chunk, a chunk length out of bounds,
// or bytes after the final chunk; chunks already handed to `sink` before the failure must be
// discarded by the caller. kCorrupt when the file is not an attachment at all (short header,
// wrong magic or version), kNotFound when it is missing. Memory use is bounded by one chunk.
Result<AttachmentSummary> readAttachment(
    const std::filesystem::path& path, const SecretKey& key, std::string_view attachmentId,
    const std::function<void(std::span<const std::uint8_t>)>& sink);

// SHA-256 of a buffer.
Sha256Digest sha256(std::span<const std::uint8_t> data);
// Lower-case hex of a digest.
std::string toHex(std::span<const std::uint8_t> bytes);

}  // namespace opcat::crypto
