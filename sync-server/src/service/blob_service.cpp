#include "service/blob_service.h"

#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <charconv>
#include <span>
#include <system_error>

#include "core/unique_fd.h"
#include "crypto/attachment_stream.h"
#include "crypto/secure_file.h"
#include "crypto/sodium_init.h"

namespace opcat::server {
namespace {

// Messages name the operation and the errno text but never the blob: a digest in a log line
// would let anyone holding a photo confirm that it was uploaded.
Status ioError(const char* what, int err) {
  return Status::error(StatusCode::kIoError,
                       std::string(what) + ": " + std::generic_category().message(err));
}

Status renamed(Status status, const char* what) {
  if (status.isOk()) return status;
  return Status::error(status.code(),
                       std::string(what) + " failed (" + statusCodeName(status.code()) + ")");
}

// Size of a regular file, or nullopt when it does not exist.
Result<std::optional<std::uint64_t>> fileSize(const std::filesystem::path& path) {
  struct stat info {};
  if (::lstat(path.c_str(), &info) != 0) {
    if (errno == ENOENT) return std::optional<std::uint64_t>();
    return ioError("stat blob file", errno);
  }
  if (!S_ISREG(info.st_mode)) {
    return Status::error(StatusCode::kCorrupt, "a blob path is not a regular file");
  }
  return std::optional<std::uint64_t>(static_cast<std::uint64_t>(info.st_size));
}

// Creates `dir` (mode 0700) unless it exists; a new folder is made durable in its parent.
Status ensureFolder(const std::filesystem::path& dir) {
  if (::mkdir(dir.c_str(), 0700) == 0) {
    return renamed(crypto::syncDirectory(dir.parent_path()), "sync blob folder");
  }
  if (errno != EEXIST) return ioError("create blob folder", errno);
  return Status::ok();
}

Status removeFile(const std::filesystem::path& path) {
  if (::unlink(path.c_str()) != 0 && errno != ENOENT) return ioError("remove blob file", errno);
  return Status::ok();
}

Status writeAt(int fd, std::string_view bytes, std::uint64_t offset) {
  while (!bytes.empty()) {
    const ssize_t n = ::pwrite(fd, bytes.data(), bytes.size(), static_cast<off_t>(offset));
    if (n < 0) {
      if (errno == EINTR) continue;
      return ioError("write blob part", errno);
    }
    bytes.remove_prefix(static_cast<std::size_t>(n));
    offset += static_cast<std::uint64_t>(n);
  }
  return Status::ok();
}

// Lower-case hex SHA-256 of a file, read in 64 KiB pieces so memory stays bounded.
Result<std::string> hashFile(const std::filesystem::path& path) {
  crypto::ensureSodium();
  UniqueFd fd(::open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC));
  if (fd.get() < 0) return ioError("open blob part", errno);
  crypto_hash_sha256_state state{};
  crypto_hash_sha256_init(&state);
  std::array<std::uint8_t, 64 * 1024> buffer{};
  for (;;) {
    const ssize_t n = ::read(fd.get(), buffer.data(), buffer.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return ioError("read blob part", errno);
    }
    if (n == 0) break;
    crypto_hash_sha256_update(&state, buffer.data(), static_cast<unsigned long long>(n));
  }
  crypto::Sha256Digest digest{};
  crypto_hash_sha256_final(&state, digest.data());
  return crypto::toHex(digest);
}

Result<std::optional<std::uint64_t>> readTotal(const std::filesystem::path& path) {
  UniqueFd fd(::open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC));
  if (fd.get() < 0) {
    if (errno == ENOENT) return std::optional<std::uint64_t>();
    return ioError("open upload size", errno);
  }
  std::array<char, 32> text{};
  const ssize_t n = ::read(fd.get(), text.data(), text.size());
  if (n < 0) return ioError("read upload size", errno);
  std::uint64_t total = 0;
  const char* end = text.data() + n;
  const auto [ptr, ec] = std::from_chars(text.data(), end, total);
  // An unreadable size (never written that way) counts as unknown: the next part announces it.
  if (ec != std::errc() || ptr != end || total == 0) return std::optional<std::uint64_t>();
  return std::optional<std::uint64_t>(total);
}

}  // namespace

// Holds the mutex of one blob for a scope. The slot lives while anyone uses or waits for it.
class BlobService::UploadLock {
 public:
  UploadLock(BlobService& service, const std::string& sha) : m_service(service) {
    {
      std::lock_guard guard(service.m_slotsMutex);
      auto [it, inserted] = service.m_slots.try_emplace(sha);
      if (inserted) it->second = std::make_unique<Slot>();
      ++it->second->users;
      m_slot = it->second.get();
      m_sha = &it->first;
    }
    m_slot->mutex.lock();
  }
  ~UploadLock() {
    m_slot->mutex.unlock();
    std::lock_guard guard(m_service.m_slotsMutex);
    if (--m_slot->users == 0) m_service.m_slots.erase(*m_sha);
  }
  UploadLock(const UploadLock&) = delete;
  UploadLock& operator=(const UploadLock&) = delete;

 private:
  BlobService& m_service;
  Slot* m_slot = nullptr;
  const std::string* m_sha = nullptr;  // the map's key, stable while the slot has users
};

BlobService::BlobService(std::filesystem::path dataDir, std::uint64_t maxBlobBytes)
    : m_root(std::move(dataDir) / "blobs"), m_maxBlobBytes(maxBlobBytes) {}

BlobService::~BlobService() = default;

bool BlobService::isBlobName(std::string_view name) {
  if (name.size() != 64) return false;
  for (const char c : name) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

std::filesystem::path BlobService::completePath(const std::string& sha) const {
  return m_root / sha.substr(0, 2) / sha;
}
std::filesystem::path BlobService::partPath(const std::string& sha) const {
  return m_root / "partial" / (sha + ".part");
}
std::filesystem::path BlobService::totalPath(const std::string& sha) const {
  return m_root / "partial" / (sha + ".total");
}

Status BlobService::dropPartial(const std::string& sha) {
  OPCAT_RETURN_IF_ERROR(removeFile(partPath(sha)));
  OPCAT_RETURN_IF_ERROR(removeFile(totalPath(sha)));
  return renamed(crypto::syncDirectory(m_root / "partial"), "sync partial folder");
}

Result<BlobService::Upload> BlobService::settle(const std::string& sha) {
  Upload upload;
  auto complete = fileSize(completePath(sha));
  if (!complete) return complete.status();
  if (*complete) {
    upload.complete = true;
    upload.offset = **complete;
    return upload;
  }
  auto part = fileSize(partPath(sha));
  if (!part) return part.status();
  auto total = readTotal(totalPath(sha));
  if (!total) return total.status();
  upload.offset = part->value_or(0);
  upload.total = *total;
  if (upload.total && upload.offset >= *upload.total) {
    // Every byte is here but the upload was not finished (a crash before the rename): finish it
    // now. A file longer than announced only damage explains: start over.
    if (upload.offset == *upload.total) {
      auto finished = finish(sha);  // drops the partial data itself on a mismatch
      if (!finished) return finished.status();
      if (*finished == AppendOutcome::kCompleted) {
        upload.complete = true;
        upload.total.reset();
        return upload;
      }
    } else {
      OPCAT_RETURN_IF_ERROR(dropPartial(sha));
    }
    upload = Upload{};
  }
  return upload;
}

Result<AppendOutcome> BlobService::finish(const std::string& sha) {
  const std::filesystem::path part = partPath(sha);
  auto digest = hashFile(part);
  if (!digest) return digest.status();
  if (*digest != sha) {
    OPCAT_RETURN_IF_ERROR(dropPartial(sha));
    return AppendOutcome::kDigestMismatch;
  }
  {
    // The parts were fsynced as they came; this covers a file finished after a restart.
    UniqueFd fd(::open(part.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC));
    if (fd.get() < 0) return ioError("open blob part", errno);
    if (::fsync(fd.get()) != 0) return ioError("fsync blob part", errno);
  }
  const std::filesystem::path target = completePath(sha);
  OPCAT_RETURN_IF_ERROR(ensureFolder(target.parent_path()));
  if (::rename(part.c_str(), target.c_str()) != 0) return ioError("rename blob", errno);
  OPCAT_RETURN_IF_ERROR(renamed(crypto::syncDirectory(target.parent_path()), "sync blob folder"));
  OPCAT_RETURN_IF_ERROR(renamed(crypto::syncDirectory(m_root / "partial"), "sync partial folder"));
  // A size file left by a crash here is harmless: settle() looks at the complete blob first.
  OPCAT_RETURN_IF_ERROR(removeFile(totalPath(sha)));
  return AppendOutcome::kCompleted;
}

Result<std::optional<BlobProgress>> BlobService::progress(const std::string& sha) {
  UploadLock lock(*this, sha);
  auto upload = settle(sha);
  if (!upload) return upload.status();
  if (!upload->complete && upload->offset == 0) return std::optional<BlobProgress>();
  return std::optional<BlobProgress>(BlobProgress{upload->offset, upload->complete});
}

Result<AppendResult> BlobService::append(const std::string& sha, std::uint64_t start,
                                         std::uint64_t total, std::string_view bytes) {
  if (bytes.empty() || start > total || bytes.size() > total - start) {
    return Status::error(StatusCode::kInvalidArgument, "part outside the announced size");
  }
  UploadLock lock(*this, sha);
  auto upload = settle(sha);
  if (!upload) return upload.status();
  if (upload->complete) return AppendResult{AppendOutcome::kAlreadyComplete, upload->offset};
  if (total > m_maxBlobBytes) return AppendResult{AppendOutcome::kTooLarge, upload->offset};
  // Before the first byte the size may still be announced anew (a client that restarts).
  if (upload->offset > 0 && upload->total && *upload->total != total) {
    return AppendResult{AppendOutcome::kTotalChanged, upload->offset};
  }
  if (start != upload->offset) return AppendResult{AppendOutcome::kWrongOffset, upload->offset};

  const std::filesystem::path partial = m_root / "partial";
  if (upload->offset == 0 || !upload->total) {
    OPCAT_RETURN_IF_ERROR(ensureFolder(m_root));
    OPCAT_RETURN_IF_ERROR(ensureFolder(partial));
    const std::string text = std::to_string(total);
    OPCAT_RETURN_IF_ERROR(
        renamed(crypto::writeFileAtomically(
                    totalPath(sha),
                    std::span(reinterpret_cast<const std::uint8_t*>(text.data()), text.size())),
                "write upload size"));
  }
  const std::filesystem::path part = partPath(sha);
  UniqueFd fd(::open(part.c_str(), O_WRONLY | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600));
  if (fd.get() < 0) return ioError("open blob part", errno);
  OPCAT_RETURN_IF_ERROR(writeAt(fd.get(), bytes, start));
  if (::fsync(fd.get()) != 0) return ioError("fsync blob part", errno);
  if (fd.close() != 0) return ioError("close blob part", errno);
  if (start == 0) {
    OPCAT_RETURN_IF_ERROR(renamed(crypto::syncDirectory(partial), "sync partial folder"));
  }

  const std::uint64_t offset = start + bytes.size();
  if (offset < total) return AppendResult{AppendOutcome::kAppended, offset};
  auto finished = finish(sha);
  if (!finished) return finished.status();
  return AppendResult{*finished, *finished == AppendOutcome::kCompleted ? offset : 0};
}

Result<std::optional<BlobSlice>> BlobService::read(const std::string& sha, std::uint64_t first,
                                                   std::optional<std::uint64_t> last) {
  // Complete blobs never change, so reading needs no lock.
  UniqueFd fd(::open(completePath(sha).c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC));
  if (fd.get() < 0) {
    if (errno == ENOENT) return std::optional<BlobSlice>();
    return ioError("open blob", errno);
  }
  struct stat info {};
  if (::fstat(fd.get(), &info) != 0) return ioError("stat blob", errno);
  BlobSlice slice;
  slice.totalBytes = static_cast<std::uint64_t>(info.st_size);
  slice.first = first;
  if (first >= slice.totalBytes) {
    slice.satisfiable = first == 0;  // an empty blob read from 0 is simply empty
    return std::optional<BlobSlice>(std::move(slice));
  }
  const std::uint64_t end =
      last && *last + 1 < slice.totalBytes ? *last + 1 : slice.totalBytes;  // exclusive
  slice.bytes.resize(static_cast<std::size_t>(end - first));
  std::size_t done = 0;
  while (done < slice.bytes.size()) {
    const ssize_t n = ::pread(fd.get(), slice.bytes.data() + done, slice.bytes.size() - done,
                              static_cast<off_t>(first + done));
    if (n < 0) {
      if (errno == EINTR) continue;
      return ioError("read blob", errno);
    }
    if (n == 0) return Status::error(StatusCode::kCorrupt, "blob shorter than its size");
    done += static_cast<std::size_t>(n);
  }
  return std::optional<BlobSlice>(std::move(slice));
}

}  // namespace opcat::server
