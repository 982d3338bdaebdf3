#include "service/data_dir.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>

namespace opcat::server {
namespace {

std::string errnoText() { return std::strerror(errno); }

std::string modeText(mode_t mode) {
  char text[8];
  std::snprintf(text, sizeof text, "%04o", static_cast<unsigned>(mode & 07777));
  return text;
}

}  // namespace

Status prepareDataFolder(const std::string& path) {
  struct stat info {};
  if (::stat(path.c_str(), &info) != 0) {
    if (errno != ENOENT) {
      return Status::error(StatusCode::kIoError,
                           "cannot inspect data folder " + path + ": " + errnoText());
    }
    const std::filesystem::path folder(path);
    std::error_code ec;
    if (folder.has_parent_path()) std::filesystem::create_directories(folder.parent_path(), ec);
    if (::mkdir(path.c_str(), 0700) != 0 && errno != EEXIST) {
      return Status::error(StatusCode::kIoError,
                           "cannot create data folder " + path + ": " + errnoText());
    }
    if (::stat(path.c_str(), &info) != 0) {
      return Status::error(StatusCode::kIoError,
                           "cannot inspect data folder " + path + ": " + errnoText());
    }
  }
  if (!S_ISDIR(info.st_mode)) {
    return Status::error(StatusCode::kInvalidArgument,
                         "data folder " + path + " is not a directory");
  }
  if (info.st_uid != ::geteuid()) {
    return Status::error(StatusCode::kInvalidArgument, "data folder " + path +
                                                           " belongs to another user (uid " +
                                                           std::to_string(info.st_uid) + ")");
  }
  if ((info.st_mode & 077) != 0) {
    return Status::error(StatusCode::kInvalidArgument,
                         "data folder " + path + " is accessible by group or others (mode " +
                             modeText(info.st_mode) + "); run: chmod 700 " + path);
  }

  return Status::ok();
}

Result<std::unique_ptr<DataDir>> DataDir::open(const std::string& path) {
  OPCAT_RETURN_IF_ERROR(prepareDataFolder(path));
  const std::string lockPath = path + "/" + kLockFileName;
  const int fd = ::open(lockPath.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd < 0) {
    return Status::error(StatusCode::kIoError,
                         "cannot open lock file " + lockPath + ": " + errnoText());
  }
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    const int lockErrno = errno;
    char pidText[32] = {};
    const ssize_t n = ::pread(fd, pidText, sizeof pidText - 1, 0);
    ::close(fd);
    if (lockErrno == EWOULDBLOCK) {
      std::string pidOfOwner = n > 0 ? std::string(pidText, static_cast<std::size_t>(n)) : "";
      while (!pidOfOwner.empty() && pidOfOwner.back() == '\n') pidOfOwner.pop_back();
      const std::string owner = pidOfOwner.empty() ? "" : " (pid " + pidOfOwner + ")";
      return Status::error(StatusCode::kUnavailable,
                           "data folder " + path + " is in use by another opcat-server" + owner);
    }
    return Status::error(StatusCode::kIoError,
                         "cannot lock " + lockPath + ": " + std::strerror(lockErrno));
  }
  const std::string pid = std::to_string(::getpid());
  if (::ftruncate(fd, 0) != 0 || ::pwrite(fd, pid.data(), pid.size(), 0) < 0) {
    // The lock holds without the pid; it only improves the message a second server prints.
  }
  return std::unique_ptr<DataDir>(new DataDir(path, fd));
}

DataDir::~DataDir() {
  if (m_lockFd >= 0) ::close(m_lockFd);
}

}  // namespace opcat::server
