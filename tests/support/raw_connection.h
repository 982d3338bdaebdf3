// RawConnection: a plain TCP connection that sends exactly the bytes a test gives it, for
// malformed requests, slow clients and watching when the server closes a connection.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

namespace opcat::testing {

class RawConnection {
 public:
  // Connects to 127.0.0.1:port. Throws std::runtime_error when the connect fails.
  explicit RawConnection(std::uint16_t port);
  ~RawConnection();
  RawConnection(const RawConnection&) = delete;
  RawConnection& operator=(const RawConnection&) = delete;

  // Writes all of `bytes`; false when the server has closed or reset the connection.
  bool send(std::string_view bytes);
  // Reads until the server closes the connection or `timeout` passes; returns what arrived.
  std::string readUntilClosed(std::chrono::milliseconds timeout);
  // Reads one HTTP response (headers and Content-Length body); empty when the connection closed
  // or nothing complete arrived within `timeout`.
  std::string readResponse(std::chrono::milliseconds timeout);
  // True once a read saw end of file or a reset from the server.
  bool closedByPeer() const { return m_closed; }

  // errno of a TCP connect to 127.0.0.1:port (0 when it connected), e.g. ECONNREFUSED.
  static int connectError(std::uint16_t port);

 private:
  // Reads what is available within `timeout` into m_pending; false on timeout or close.
  bool readSome(std::chrono::steady_clock::time_point deadline);
  int m_fd = -1;
  bool m_closed = false;
  std::string m_pending;
};

}  // namespace opcat::testing
