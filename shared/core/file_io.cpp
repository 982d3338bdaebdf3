#include "core/file_io.h"

#include <unistd.h>

#include <cerrno>
#include <string>
#include <system_error>

namespace opcat {

Status ioError(const char* what, const std::filesystem::path& path, int err) {
  return Status::error(StatusCode::kIoError, std::string(what) + " '" + path.string() +
                                                 "': " + std::generic_category().message(err));
}

Status writeAll(int fd, const std::uint8_t* data, std::size_t size,
                const std::filesystem::path& path) {
  while (size > 0) {
    const ssize_t n = ::write(fd, data, size);
    if (n < 0) {
      if (errno == EINTR) continue;
      return ioError("write", path, errno);
    }
    data += n;
    size -= static_cast<std::size_t>(n);
  }
  return Status::ok();
}

}  // namespace opcat
