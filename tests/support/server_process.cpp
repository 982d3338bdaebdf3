#include "support/server_process.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <stdexcept>

#include "support/child_process.h"
#include "support/file_bytes.h"

namespace opcat::testing {
namespace {

constexpr std::string_view kListeningPrefix = "listening on ";

// Reads one line from `fd` within `timeout`; nullopt on timeout or end of file.
std::optional<std::string> readLine(int fd, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  std::string line;
  for (;;) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return std::nullopt;
    pollfd entry{fd, POLLIN, 0};
    const int ready = ::poll(&entry, 1, static_cast<int>(left.count()));
    if (ready < 0 && errno == EINTR) continue;
    if (ready <= 0) return std::nullopt;
    char c = 0;
    const ssize_t n = ::read(fd, &c, 1);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return std::nullopt;
    if (c == '\n') return line;
    line += c;
  }
}

}  // namespace

std::string ServerProcess::defaultBinary() { return OPCAT_SERVER_BINARY; }

ServerProcess::ServerProcess(Options options)
    : m_options(std::move(options)), m_scratch(std::make_unique<TempDir>("opcat-server-test")) {
  m_dataDir = m_options.dataDir.empty() ? m_scratch->path() / "data" : m_options.dataDir;
  m_stderrPath = m_scratch->path() / "server.stderr.log";
  start(m_options.listen);
}

ServerProcess::~ServerProcess() {
  if (m_pid > 0) kill9();
  if (m_stdoutFd >= 0) ::close(m_stdoutFd);
}

void ServerProcess::start(const std::string& listen) {
  std::vector<std::string> args = {"serve", "--listen", listen, "--data", m_dataDir.string()};
  args.insert(args.end(), m_options.args.begin(), m_options.args.end());

  int pipeFds[2];
  if (::pipe2(pipeFds, O_CLOEXEC) != 0) throw std::runtime_error("pipe2 failed");
  const int stderrFd =
      ::open(m_stderrPath.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
  if (stderrFd < 0) {
    ::close(pipeFds[0]);
    ::close(pipeFds[1]);
    throw std::runtime_error("cannot open " + m_stderrPath.string());
  }
  m_pid = spawnProcess(m_options.binary, args, pipeFds[1], stderrFd);
  ::close(pipeFds[1]);
  ::close(stderrFd);
  if (m_stdoutFd >= 0) ::close(m_stdoutFd);
  m_stdoutFd = pipeFds[0];

  const std::optional<std::string> line = readLine(m_stdoutFd, m_options.startTimeout);
  if (!line || line->rfind(kListeningPrefix, 0) != 0) {
    kill9();
    throw std::runtime_error("opcat-server did not start (" +
                             (line ? "printed '" + *line + "'" : std::string("no listening line")) +
                             "); its stderr:\n" + stderrText());
  }
  m_url = line->substr(kListeningPrefix.size());
  m_port = static_cast<std::uint16_t>(std::stoul(m_url.substr(m_url.rfind(':') + 1)));
}

int ServerProcess::stop(std::chrono::milliseconds timeout) {
  sendSignal(SIGTERM);
  const std::optional<int> code = waitForExit(timeout);
  if (!code) {
    kill9();
    throw std::runtime_error("opcat-server did not stop within the timeout after SIGTERM");
  }
  return *code;
}

void ServerProcess::sendSignal(int signal) {
  if (m_pid > 0) ::kill(m_pid, signal);
}

std::optional<int> ServerProcess::waitForExit(std::chrono::milliseconds timeout) {
  if (m_pid <= 0) return std::nullopt;
  std::optional<int> code = waitForProcess(m_pid, timeout);
  if (code) m_pid = -1;
  return code;
}

void ServerProcess::kill9() {
  if (m_pid <= 0) return;
  ::kill(m_pid, SIGKILL);
  waitForProcess(m_pid, std::chrono::seconds(10));
  m_pid = -1;
}

void ServerProcess::restart() {
  if (m_pid > 0) throw std::logic_error("restart() while the server is still running");
  const std::string host = m_options.listen.substr(0, m_options.listen.rfind(':'));
  start(host + ":" + std::to_string(m_port));
}

std::string ServerProcess::stderrText() const { return readFile(m_stderrPath); }

ExitResult ServerProcess::runToExit(const std::vector<std::string>& args,
                                    std::chrono::milliseconds timeout, const std::string& binary) {
  TempDir scratch("opcat-run");
  const std::filesystem::path outPath = scratch.path() / "stdout";
  const std::filesystem::path errPath = scratch.path() / "stderr";
  const int outFd = ::open(outPath.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  const int errFd = ::open(errPath.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (outFd < 0 || errFd < 0) throw std::runtime_error("cannot create output files");
  const pid_t pid = spawnProcess(binary, args, outFd, errFd);
  ::close(outFd);
  ::close(errFd);

  ExitResult result;
  std::optional<int> code = waitForProcess(pid, timeout);
  if (!code) {
    result.timedOut = true;
    ::kill(pid, SIGKILL);
    code = waitForProcess(pid, std::chrono::seconds(10));
  }
  result.exitCode = code.value_or(-1);
  result.stdoutText = readFile(outPath);
  result.stderrText = readFile(errPath);
  return result;
}

}  // namespace opcat::testing
