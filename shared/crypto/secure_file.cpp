#include "crypto/secure_file.h"

#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <string>
#include <system_error>

#include "core/file_io.h"
#include "core/unique_fd.h"
#include "crypto/sodium_init.h"

namespace opcat::crypto {
namespace {

std::filesystem::path parentOf(const std::filesystem::path& path) {
  std::filesystem::path parent = path.parent_path();
  return parent.empty() ? std::filesystem::path(".") : parent;
}

}  // namespace

Status syncDirectory(const std::filesystem::path& dir) {
  UniqueFd fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (fd.get() < 0) return ioError("open folder", dir, errno);
  // EINVAL: the filesystem cannot sync folders (some FUSE and network mounts); there is nothing
  // more we can do to make the rename durable there.
  if (::fsync(fd.get()) != 0 && errno != EINVAL) return ioError("fsync folder", dir, errno);
  if (fd.close() != 0) return ioError("close folder", dir, errno);
  return Status::ok();
}

Status writeFileAtomically(const std::filesystem::path& path, std::span<const std::uint8_t> bytes) {
  std::filesystem::path tmp = path;
  tmp += ".tmp";
  // O_TRUNC reuses a temporary left by a crash; O_NOFOLLOW refuses a planted symlink.
  UniqueFd fd(::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0600));
  if (fd.get() < 0) return ioError("open", tmp, errno);
  Status status = writeAll(fd.get(), bytes.data(), bytes.size(), tmp);
  if (status.isOk() && ::fsync(fd.get()) != 0) status = ioError("fsync", tmp, errno);
  if (fd.close() != 0 && status.isOk()) status = ioError("close", tmp, errno);
  if (status.isOk() && ::rename(tmp.c_str(), path.c_str()) != 0) {
    status = ioError("rename to", path, errno);
  }
  if (!status.isOk()) {
    ::unlink(tmp.c_str());
    return status;
  }
  return syncDirectory(parentOf(path));
}

Status overwriteAndRemove(const std::filesystem::path& path) {
  ensureSodium();
  // On flash storage with wear levelling, or on copy-on-write filesystems, the old blocks may
  // survive an overwrite. This is a best effort on top of the real protection: the content is
  // encrypted, and destroying the small key file makes all of it unreadable.
  UniqueFd fd(::open(path.c_str(), O_WRONLY | O_NOFOLLOW | O_CLOEXEC));
  if (fd.get() < 0) {
    if (errno == ENOENT) return Status::ok();
    return ioError("open", path, errno);
  }
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0) return ioError("stat", path, errno);
  if (!S_ISREG(st.st_mode)) {
    return Status::error(StatusCode::kInvalidArgument,
                         "not a regular file: '" + path.string() + "'");
  }
  std::array<std::uint8_t, 64 * 1024> noise{};
  auto remaining = static_cast<std::uint64_t>(st.st_size);
  while (remaining > 0) {
    const std::size_t n =
        remaining < noise.size() ? static_cast<std::size_t>(remaining) : noise.size();
    randombytes_buf(noise.data(), n);
    OPCAT_RETURN_IF_ERROR(writeAll(fd.get(), noise.data(), n, path));
    remaining -= n;
  }
  if (::fsync(fd.get()) != 0) return ioError("fsync", path, errno);
  if (fd.close() != 0) return ioError("close", path, errno);
  if (::unlink(path.c_str()) != 0 && errno != ENOENT) return ioError("unlink", path, errno);
  return syncDirectory(parentOf(path));
}

}  // namespace opcat::crypto
