// BlobService: attachment bytes, content-addressed by the SHA-256 of the plaintext and uploaded
// resumably in parts (SYNC.md rule 6). A part is appended and fsynced before it is acknowledged;
// the last part is verified against the name, and only a verified blob moves to its final name,
// so a blob is never half-visible. Access control is the caller's job: this service knows files,
// not monitors.
//
// Layout under the data folder (folders 0700, files 0600):
//   blobs/partial/<sha>.part    the bytes received so far of an incomplete upload
//   blobs/partial/<sha>.total   its announced size in decimal, written before the first byte
//   blobs/<aa>/<sha>            complete, verified blobs (aa: the first two hex digits)
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "core/status.h"

namespace opcat::server {

// How far the upload of one blob has come.
struct BlobProgress {
  std::uint64_t offset = 0;  // bytes held: received so far, or the whole size once complete
  bool complete = false;
};

enum class AppendOutcome {
  kAppended,         // the part was written and fsynced; more is expected
  kCompleted,        // the last part arrived, the digest matched, the blob is now visible
  kAlreadyComplete,  // the blob was complete before; nothing was written
  kWrongOffset,      // the part does not start at the current offset; nothing was written
  kTotalChanged,     // the part announces another total than the upload's first part
  kTooLarge,         // the total is over the configured maximum
  kDigestMismatch,   // the whole file does not hash to its name; the partial data is gone
};

struct AppendResult {
  AppendOutcome outcome = AppendOutcome::kAppended;
  std::uint64_t offset = 0;  // the offset after the call (Upload-Offset)
};

// Bytes of a complete blob.
struct BlobSlice {
  std::uint64_t totalBytes = 0;  // the size of the whole blob
  std::uint64_t first = 0;       // offset of bytes[0]
  std::string bytes;
  bool satisfiable = true;  // false: `first` is at or past the end; bytes is empty
};

class BlobService {
 public:
  // `dataDir` is the server's data folder; the blobs/ folders are created when first needed.
  BlobService(std::filesystem::path dataDir, std::uint64_t maxBlobBytes);
  ~BlobService();
  BlobService(const BlobService&) = delete;
  BlobService& operator=(const BlobService&) = delete;

  std::uint64_t maxBlobBytes() const { return m_maxBlobBytes; }

  // True for 64 lower-case hex digits: the only names the service accepts.
  static bool isBlobName(std::string_view name);

  // The upload's progress, or nullopt when no byte was received yet. An upload whose every byte
  // arrived but was not finished (a crash between the last fsync and the rename) is finished
  // now: verified and made visible, or dropped when the digest does not match.
  // REQUIRES: isBlobName(sha). Fails with kIoError, or kCorrupt when a blob path is not a file.
  Result<std::optional<BlobProgress>> progress(const std::string& sha);

  // Writes `bytes` at `start` of the upload of `total` bytes, fsyncs, and finishes the blob when
  // this was the last part. Uploads of one blob are serialised; different blobs run in parallel.
  // REQUIRES: isBlobName(sha); bytes non-empty; start + bytes.size() <= total.
  // Fails with kIoError or kCorrupt as progress() does; after a failed write the part may be
  // partly written, and progress() tells how far.
  Result<AppendResult> append(const std::string& sha, std::uint64_t start, std::uint64_t total,
                              std::string_view bytes);

  // Bytes [first, last] of the complete blob (`last` clamped to its end; nullopt: to the end), or
  // nullopt when the blob is not complete. REQUIRES: isBlobName(sha). Fails with kIoError or
  // kCorrupt (the file is shorter than it was).
  Result<std::optional<BlobSlice>> read(const std::string& sha, std::uint64_t first,
                                        std::optional<std::uint64_t> last);

 private:
  class UploadLock;
  struct Upload {
    bool complete = false;
    std::uint64_t offset = 0;            // size of the final file or of the partial one
    std::optional<std::uint64_t> total;  // announced by the first part (incomplete only)
  };

  std::filesystem::path completePath(const std::string& sha) const;
  std::filesystem::path partPath(const std::string& sha) const;
  std::filesystem::path totalPath(const std::string& sha) const;
  // The upload's state, finishing or dropping a partial file that holds `total` bytes or more.
  // REQUIRES: the caller holds the blob's UploadLock.
  Result<Upload> settle(const std::string& sha);
  // Verifies the partial file against the name and renames it into place, or removes it.
  Result<AppendOutcome> finish(const std::string& sha);
  Status dropPartial(const std::string& sha);

  const std::filesystem::path m_root;  // <data>/blobs
  const std::uint64_t m_maxBlobBytes;
  // One mutex per blob being touched, removed when its last user leaves.
  struct Slot {
    std::mutex mutex;
    int users = 0;
  };
  std::mutex m_slotsMutex;
  std::map<std::string, std::unique_ptr<Slot>, std::less<>> m_slots;
};

}  // namespace opcat::server
