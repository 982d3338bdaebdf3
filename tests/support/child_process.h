// Fork/exec helpers shared by the test support: start a program with its stdout and stderr
// sent where the caller wants, and wait for it with a timeout.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace opcat::testing {

// Starts `binary` with `args` (argv[1..]); stdin is /dev/null, stdout goes to `stdoutFd` and
// stderr to `stderrFd`. Throws std::runtime_error when fork fails; an exec failure shows as
// exit code 127.
pid_t spawnProcess(const std::string& binary, const std::vector<std::string>& args, int stdoutFd,
                   int stderrFd);

// Waits for `pid`: its exit code (128 + signal when killed by a signal), or nullopt when it
// is still running after `timeout`.
std::optional<int> waitForProcess(pid_t pid, std::chrono::milliseconds timeout);

}  // namespace opcat::testing
