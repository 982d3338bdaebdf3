// TcpProxy: a TCP forwarder on 127.0.0.1 (a free port) to a loopback port, that makes the link
// as bad as a test asks: latency added to every chunk, a bandwidth cap, connections cut after a
// random number of bytes (in either direction, with FIN or RST) and connections that hang (stop
// forwarding and stay open). Faults are drawn per connection from a seeded generator, so a
// failing run can be replayed. One thread drives every connection with poll(); buffers and the
// number of connections are bounded, so a stuck peer back-pressures instead of growing memory.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace opcat::testing {

class TcpProxy {
 public:
  using Clock = std::chrono::steady_clock;

  // What happens to the connections accepted while these settings are in force.
  struct Faults {
    std::chrono::milliseconds latency{0};  // added to each chunk, each direction
    std::size_t bytesPerSecond = 0;        // per connection and direction; 0: unlimited
    // Per connection, at most one of the two is drawn (cut first): after a number of bytes
    // drawn uniformly from [1, withinBytes] in a direction drawn at random, the connection is
    // closed (half of the cuts with RST) or stops forwarding in both directions while staying
    // open until the client gives up.
    double cutProbability = 0;
    double hangProbability = 0;
    std::size_t withinBytes = 64 * 1024;
    // At most this many connections are given a cut or a hang; after them the link is good (a
    // bad patch that ends), which bounds how long a test waits on back-off.
    std::size_t maxFaults = static_cast<std::size_t>(-1);
  };

  struct Stats {
    std::size_t accepted = 0;
    std::size_t refused = 0;  // over maxConnections: accepted and closed at once
    std::size_t cuts = 0;
    std::size_t hangs = 0;
    std::uint64_t bytesUp = 0;    // client → server, forwarded
    std::uint64_t bytesDown = 0;  // server → client, forwarded
  };

  // Starts listening on 127.0.0.1:0 and forwarding to 127.0.0.1:targetPort. A target that
  // refuses the connection (e.g. a server being restarted) makes the proxy close the client's
  // connection at once. Throws std::runtime_error when the socket or the thread cannot start.
  TcpProxy(std::uint16_t targetPort, Faults faults, std::uint64_t seed,
           std::size_t maxConnections = 64);
  // Stops the thread and closes every connection.
  ~TcpProxy();
  TcpProxy(const TcpProxy&) = delete;
  TcpProxy& operator=(const TcpProxy&) = delete;

  std::uint16_t port() const;
  std::string url() const;  // "http://127.0.0.1:PORT"

  // Applies to connections accepted from now on (with a fresh maxFaults budget); open ones keep
  // their fate.
  void setFaults(const Faults& faults);
  // Cuts every open connection now (RST), as a dropped mobile link would.
  void cutAll();

  Stats stats() const;
  // When each connection was accepted.
  std::vector<Clock::time_point> acceptTimes() const;
  // When each HTTP exchange started, as seen on the wire: the first client bytes of a
  // connection and the first client bytes after the server last sent something (HTTP/1.1
  // without pipelining, which is what libcurl does).
  std::vector<Clock::time_point> requestStarts() const;

 private:
  struct State;
  std::unique_ptr<State> m_state;
};

}  // namespace opcat::testing
