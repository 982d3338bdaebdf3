#include "service/process_limits.h"

#include <sys/resource.h>

#include <algorithm>

namespace opcat::server {
namespace {

constexpr rlim_t kReservedFiles = 256;  // SQLite, WAL, attachments, logs, listening socket

}  // namespace

std::string raiseOpenFileLimit(std::uint32_t connections) {
  rlimit limit{};
  if (::getrlimit(RLIMIT_NOFILE, &limit) != 0) return "cannot read the open-file limit";
  const rlim_t wanted = static_cast<rlim_t>(connections) + kReservedFiles;
  if (limit.rlim_cur < wanted) {
    rlimit raised = limit;
    raised.rlim_cur = limit.rlim_max == RLIM_INFINITY ? wanted : std::min(wanted, limit.rlim_max);
    if (::setrlimit(RLIMIT_NOFILE, &raised) == 0) limit = raised;
  }
  if (limit.rlim_cur >= wanted) return {};
  return "open-file limit " + std::to_string(limit.rlim_cur) + " is below max_connections + " +
         std::to_string(kReservedFiles) + "; raise LimitNOFILE or lower max_connections";
}

}  // namespace opcat::server
