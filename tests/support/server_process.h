// ServerProcess: the real opcat-server binary as a child process, for integration and fault
// tests. It listens on a free port of 127.0.0.1; the test learns the URL from the server's
// "listening on URL" line. The child's stderr (its JSON log) goes to a file for debugging.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "support/temp_dir.h"

namespace opcat::testing {

// How a finished child ended. exitCode is 128 + signal number when a signal killed it.
struct ExitResult {
  int exitCode = -1;
  bool timedOut = false;  // it did not exit in time and was killed
  std::string stdoutText;
  std::string stderrText;
};

class ServerProcess {
 public:
  struct Options {
    std::string binary = defaultBinary();
    std::string listen = "127.0.0.1:0";  // port 0: a free port, reused by restart()
    // Empty: a fresh folder (created by the server with mode 0700), removed with this object.
    std::filesystem::path dataDir;
    // Appended after `serve --listen LISTEN --data DIR`, e.g. {"--config", path}.
    std::vector<std::string> args;
    std::chrono::milliseconds startTimeout{10000};
  };

  // Starts the server and waits for its listening line. Throws std::runtime_error, quoting the
  // child's stderr, when it exits first or stays silent past startTimeout.
  explicit ServerProcess(Options options);
  ServerProcess() : ServerProcess(Options{}) {}
  // Kills the child with SIGKILL if it still runs.
  ~ServerProcess();
  ServerProcess(const ServerProcess&) = delete;
  ServerProcess& operator=(const ServerProcess&) = delete;

  const std::string& url() const { return m_url; }  // "http://127.0.0.1:PORT" or https://
  std::uint16_t port() const { return m_port; }
  pid_t pid() const { return m_pid; }  // -1 once it has been reaped
  const std::filesystem::path& dataDir() const { return m_dataDir; }

  // Sends SIGTERM and waits; returns the exit code. After `timeout` the child is killed with
  // SIGKILL and std::runtime_error is thrown.
  int stop(std::chrono::milliseconds timeout = std::chrono::seconds(15));
  // Sends `signal` without waiting.
  void sendSignal(int signal);
  // Waits for the child to exit: its exit code, or nullopt after `timeout`.
  std::optional<int> waitForExit(std::chrono::milliseconds timeout);
  // SIGKILL and reap: a crash, as far as the server can tell.
  void kill9();
  // Starts the binary again with the same options, on the same port. REQUIRES: not running.
  void restart();

  // Everything the child wrote to stderr so far, over all runs.
  std::string stderrText() const;

  // Runs the binary with exactly `args` until it exits (SIGKILL after `timeout`).
  static ExitResult runToExit(const std::vector<std::string>& args,
                              std::chrono::milliseconds timeout = std::chrono::seconds(10),
                              const std::string& binary = defaultBinary());
  // The opcat-server built with the tests (OPCAT_SERVER_BINARY).
  static std::string defaultBinary();

 private:
  void start(const std::string& listen);

  Options m_options;
  std::unique_ptr<TempDir> m_scratch;  // stderr log, and the data folder when none was given
  std::filesystem::path m_dataDir;
  std::filesystem::path m_stderrPath;
  pid_t m_pid = -1;
  int m_stdoutFd = -1;  // kept open so the child never writes into a closed pipe
  std::string m_url;
  std::uint16_t m_port = 0;
};

}  // namespace opcat::testing
