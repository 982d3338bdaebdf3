#include "support/raw_connection.h"

#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <stdexcept>

#include "support/loopback_socket.h"

namespace opcat::testing {

RawConnection::RawConnection(std::uint16_t port) {
  int error = 0;
  m_fd = connectLoopback(port, &error);
  if (m_fd < 0) throw std::runtime_error("connect to port " + std::to_string(port) + " failed");
}

RawConnection::~RawConnection() {
  if (m_fd >= 0) ::close(m_fd);
}

int RawConnection::connectError(std::uint16_t port) {
  int error = 0;
  const int fd = connectLoopback(port, &error);
  if (fd >= 0) ::close(fd);
  return error;
}

bool RawConnection::send(std::string_view bytes) {
  while (!bytes.empty()) {
    const ssize_t n = ::send(m_fd, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (n < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
  return true;
}

bool RawConnection::readSome(std::chrono::steady_clock::time_point deadline) {
  for (;;) {
    if (m_closed) return false;
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return false;
    pollfd entry{m_fd, POLLIN, 0};
    const int ready = ::poll(&entry, 1, static_cast<int>(left.count()));
    if (ready < 0 && errno == EINTR) continue;
    if (ready <= 0) return false;
    char buffer[16384];
    const ssize_t n = ::recv(m_fd, buffer, sizeof buffer, 0);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      m_closed = true;
      return false;
    }
    m_pending.append(buffer, static_cast<std::size_t>(n));
    return true;
  }
}

std::string RawConnection::readUntilClosed(std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (readSome(deadline)) {
  }
  std::string out;
  out.swap(m_pending);
  return out;
}

std::string RawConnection::readResponse(std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    const std::size_t headerEnd = m_pending.find("\r\n\r\n");
    if (headerEnd != std::string::npos) {
      std::size_t bodyLength = 0;
      std::string lower = m_pending.substr(0, headerEnd);
      for (char& c : lower) c = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
      const std::size_t field = lower.find("\r\ncontent-length:");
      if (field != std::string::npos) {
        bodyLength = std::stoul(lower.substr(field + 17));
      }
      const std::size_t total = headerEnd + 4 + bodyLength;
      if (m_pending.size() >= total) {
        std::string response = m_pending.substr(0, total);
        m_pending.erase(0, total);
        return response;
      }
    }
    if (!readSome(deadline)) return {};
  }
}

}  // namespace opcat::testing
