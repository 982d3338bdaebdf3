// DataDir: the server's exclusive hold on its data folder. Two servers writing one SQLite store
// would corrupt it, and a folder others can read would leak it, so both are refused at start.
#pragma once

#include <memory>
#include <string>

#include "core/status.h"

namespace opcat::server {

// Creates `path` with mode 0700 when missing (parents as needed) and refuses a folder that is not
// a directory, belongs to another user or is accessible by group or others. Takes no lock: the
// administration commands use it while a server runs. Fails with kInvalidArgument (bad folder)
// or kIoError.
Status prepareDataFolder(const std::string& path);

class DataDir {
 public:
  static constexpr const char* kLockFileName = "opcat-server.lock";

  // prepareDataFolder(path), then an exclusive flock on <path>/opcat-server.lock holding this
  // process's pid. Fails with kInvalidArgument (bad folder), kUnavailable (locked by another
  // server) or kIoError.
  static Result<std::unique_ptr<DataDir>> open(const std::string& path);

  // Releases the lock (the kernel releases it too if the process dies).
  ~DataDir();
  DataDir(const DataDir&) = delete;
  DataDir& operator=(const DataDir&) = delete;

  const std::string& path() const { return m_path; }

 private:
  DataDir(std::string path, int lockFd) : m_path(std::move(path)), m_lockFd(lockFd) {}
  std::string m_path;
  int m_lockFd = -1;
};

}  // namespace opcat::server
