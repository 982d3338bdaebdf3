// Status-returning helpers over POSIX file calls: every error names the call, the file and the
// system's reason, so a failed save says what failed and where.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>

#include "core/status.h"

namespace opcat {

// kIoError "<what> '<path>': <errno text>".
Status ioError(const char* what, const std::filesystem::path& path, int err);

// Writes all `size` bytes to `fd` (a short write continues, EINTR retries); `path` names the
// file in the error.
Status writeAll(int fd, const std::uint8_t* data, std::size_t size,
                const std::filesystem::path& path);

}  // namespace opcat
