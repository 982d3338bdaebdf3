// A file descriptor closed exactly once, on every path out of a scope, so error paths cannot
// leak it. close() closes early and reports close()'s own error, which on some filesystems is
// the first sign of a failed write.
#pragma once

#include <unistd.h>

namespace opcat {

class UniqueFd {
 public:
  explicit UniqueFd(int fd) : m_fd(fd) {}
  UniqueFd(const UniqueFd&) = delete;
  UniqueFd& operator=(const UniqueFd&) = delete;
  ~UniqueFd() {
    if (m_fd >= 0) ::close(m_fd);
  }
  int get() const { return m_fd; }
  int close() {
    const int rc = ::close(m_fd);
    m_fd = -1;
    return rc;
  }

 private:
  int m_fd;
};

}  // namespace opcat
