#include "support/tcp_proxy.h"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <deque>
#include <list>
#include <mutex>
#include <random>
#include <stdexcept>
#include <thread>

#include "support/loopback_socket.h"

namespace opcat::testing {
namespace {

using Clock = TcpProxy::Clock;

constexpr std::size_t kReadChunk = 16 * 1024;
constexpr std::size_t kBufferCap = 256 * 1024;  // queued bytes per direction before reads stop
constexpr auto kIdleWake = std::chrono::milliseconds(200);

// Bytes read from one side, waiting to be written to the other.
struct Chunk {
  std::string bytes;
  std::size_t sent = 0;
  Clock::time_point releaseAt;
};

struct Direction {
  std::deque<Chunk> queue;
  std::size_t queued = 0;
  std::uint64_t forwarded = 0;
  bool eof = false;           // the source closed its side
  bool writeBlocked = false;  // the destination's send buffer is full: wait for POLLOUT
  double tokens = 0;          // the bandwidth cap's bucket
  Clock::time_point refilled;
  Clock::time_point lastRelease;
};

enum class Fate { kNone, kCut, kHang };

struct Connection {
  int client = -1;
  int server = -1;
  Direction up;    // client → server
  Direction down;  // server → client
  TcpProxy::Faults faults;
  Fate fate = Fate::kNone;
  bool fateUp = false;       // the direction whose byte count triggers the fate
  std::uint64_t fateAt = 0;  // forwarded bytes in that direction before it strikes
  bool resetOnCut = false;
  bool hung = false;
  bool awaitingRequest = true;  // the next client bytes start an exchange
  bool closed = false;
};

void closeFd(int& fd, bool reset) {
  if (fd < 0) return;
  if (reset) {
    linger hard{1, 0};  // close with RST instead of FIN
    ::setsockopt(fd, SOL_SOCKET, SO_LINGER, &hard, sizeof hard);
  }
  ::close(fd);
  fd = -1;
}

void noDelay(int fd) {
  int one = 1;
  ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
}

}  // namespace

struct TcpProxy::State {
  std::uint16_t targetPort = 0;
  std::uint16_t port = 0;
  std::size_t maxConnections = 0;
  int listenFd = -1;
  int wakeFd = -1;
  std::atomic<bool> stopping{false};
  std::atomic<bool> cutAllRequested{false};
  std::list<Connection> connections;  // touched by the loop thread only

  mutable std::mutex mutex;  // guards everything below
  Faults faults;
  std::size_t faultsGiven = 0;  // connections given a fate so far
  std::mt19937_64 random;
  Stats stats;
  std::vector<Clock::time_point> accepts;
  std::vector<Clock::time_point> requests;

  std::thread thread;

  void wake() {
    const std::uint64_t one = 1;
    [[maybe_unused]] const ssize_t n = ::write(wakeFd, &one, sizeof one);
  }

  void run();
  void acceptOne();
  void closeConnection(Connection& c, bool reset);
  void readFrom(Connection& c, bool up, bool force);
  void pump(Connection& c, bool up, Clock::time_point now);
  Clock::time_point nextEvent(const Connection& c, bool up, Clock::time_point now) const;
  void strike(Connection& c);
};

void TcpProxy::State::closeConnection(Connection& c, bool reset) {
  closeFd(c.client, reset);
  closeFd(c.server, reset);
  c.up.queue.clear();
  c.down.queue.clear();
  c.closed = true;
}

void TcpProxy::State::strike(Connection& c) {
  std::lock_guard lock(mutex);
  if (c.fate == Fate::kCut) {
    ++stats.cuts;
    closeConnection(c, c.resetOnCut);
  } else {
    // A dead link: nothing moves any more, and nothing closes until the client gives up.
    ++stats.hangs;
    c.hung = true;
    c.up.queue.clear();
    c.down.queue.clear();
    c.up.queued = c.down.queued = 0;
  }
}

void TcpProxy::State::acceptOne() {
  const int client = ::accept4(listenFd, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
  if (client < 0) return;
  const auto now = Clock::now();
  std::lock_guard lock(mutex);
  if (connections.size() >= maxConnections) {
    ++stats.refused;
    ::close(client);
    return;
  }
  ++stats.accepted;
  accepts.push_back(now);
  noDelay(client);
  const int server = connectLoopback(targetPort);
  if (server < 0) {  // the target is down: the client sees its connection closed
    ::close(client);
    return;
  }
  noDelay(server);
  setNonBlocking(server);
  Connection& c = connections.emplace_back();
  c.client = client;
  c.server = server;
  c.faults = faults;
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  const double draw = unit(random);
  if (faultsGiven < faults.maxFaults) {
    if (draw < faults.cutProbability) {
      c.fate = Fate::kCut;
    } else if (draw < faults.cutProbability + faults.hangProbability) {
      c.fate = Fate::kHang;
    }
    if (c.fate != Fate::kNone) ++faultsGiven;
  }
  c.fateUp = random() % 2 == 0;
  c.fateAt = std::uniform_int_distribution<std::uint64_t>(
      1, std::max<std::size_t>(1, faults.withinBytes))(random);
  c.resetOnCut = random() % 2 == 0;
  const double burst = std::max(256.0, static_cast<double>(faults.bytesPerSecond) / 20.0);
  for (Direction* d : {&c.up, &c.down}) {
    d->tokens = burst;
    d->refilled = now;
    d->lastRelease = now;
  }
}

void TcpProxy::State::readFrom(Connection& c, bool up, bool force) {
  Direction& d = up ? c.up : c.down;
  const int fd = up ? c.client : c.server;
  if (d.eof || (!force && d.queued >= kBufferCap)) return;
  std::string buffer(kReadChunk, '\0');
  const ssize_t n = ::recv(fd, buffer.data(), buffer.size(), 0);
  if (n < 0) {
    if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) return;
    closeConnection(c, true);  // reset by the peer: pass the reset on
    return;
  }
  if (n == 0) {
    d.eof = true;
    return;
  }
  buffer.resize(static_cast<std::size_t>(n));
  const auto now = Clock::now();
  const auto release = std::max(now + c.faults.latency, d.lastRelease);
  d.lastRelease = release;
  d.queued += buffer.size();
  d.queue.push_back(Chunk{std::move(buffer), 0, release});
  if (up && c.awaitingRequest) {
    c.awaitingRequest = false;
    std::lock_guard lock(mutex);
    requests.push_back(now);
  } else if (!up) {
    c.awaitingRequest = true;
  }
}

void TcpProxy::State::pump(Connection& c, bool up, Clock::time_point now) {
  Direction& d = up ? c.up : c.down;
  const int fd = up ? c.server : c.client;
  const std::size_t rate = c.faults.bytesPerSecond;
  const double burst = std::max(256.0, static_cast<double>(rate) / 20.0);
  while (!c.closed && !c.hung && !d.queue.empty() && !d.writeBlocked) {
    Chunk& front = d.queue.front();
    if (front.releaseAt > now) return;
    std::size_t want = front.bytes.size() - front.sent;
    if (c.fate != Fate::kNone && c.fateUp == up) {
      if (d.forwarded >= c.fateAt) {
        strike(c);
        return;
      }
      want = std::min<std::size_t>(want, c.fateAt - d.forwarded);
    }
    if (rate > 0) {
      const double elapsed = std::chrono::duration<double>(now - d.refilled).count();
      d.tokens = std::min(burst, d.tokens + elapsed * static_cast<double>(rate));
      d.refilled = now;
      const double need = std::min(burst, static_cast<double>(want));
      if (d.tokens < need) return;
      want = std::min(want, static_cast<std::size_t>(d.tokens));
    }
    const ssize_t n = ::send(fd, front.bytes.data() + front.sent, want, MSG_NOSIGNAL);
    if (n < 0) {
      if (errno == EINTR) continue;
      if (errno == EAGAIN || errno == EWOULDBLOCK) {
        d.writeBlocked = true;
        return;
      }
      closeConnection(c, true);
      return;
    }
    const auto sent = static_cast<std::size_t>(n);
    front.sent += sent;
    d.forwarded += sent;
    d.queued -= sent;
    d.tokens -= static_cast<double>(sent);
    {
      std::lock_guard lock(mutex);
      (up ? stats.bytesUp : stats.bytesDown) += sent;
    }
    if (front.sent == front.bytes.size()) d.queue.pop_front();
  }
  // The source closed and all it sent is through: close like it did (HTTP needs no half-close).
  if (!c.closed && !c.hung && d.eof && d.queue.empty()) closeConnection(c, false);
}

Clock::time_point TcpProxy::State::nextEvent(const Connection& c, bool up,
                                             Clock::time_point now) const {
  const Direction& d = up ? c.up : c.down;
  if (d.queue.empty() || d.writeBlocked) return now + kIdleWake;
  auto at = d.queue.front().releaseAt;
  const std::size_t rate = c.faults.bytesPerSecond;
  if (rate > 0) {
    const double burst = std::max(256.0, static_cast<double>(rate) / 20.0);
    const double left = static_cast<double>(d.queue.front().bytes.size() - d.queue.front().sent);
    const double missing = std::min(burst, left) - d.tokens;
    if (missing > 0) {
      const auto wait = std::chrono::duration_cast<Clock::duration>(
          std::chrono::duration<double>(missing / static_cast<double>(rate)));
      at = std::max(at, d.refilled + wait);
    }
  }
  return at;
}

void TcpProxy::State::run() {
  std::vector<pollfd> fds;
  std::vector<std::pair<Connection*, bool>> owners;  // (connection, is the client side)
  while (!stopping.load()) {
    auto now = Clock::now();
    if (cutAllRequested.exchange(false)) {
      std::lock_guard lock(mutex);
      for (Connection& c : connections) {
        if (!c.closed) {
          ++stats.cuts;
          closeConnection(c, true);
        }
      }
    }
    auto wakeAt = now + kIdleWake;
    for (Connection& c : connections) {
      pump(c, true, now);
      pump(c, false, now);
      if (c.closed || c.hung) continue;
      wakeAt = std::min({wakeAt, nextEvent(c, true, now), nextEvent(c, false, now)});
    }
    connections.remove_if([](const Connection& c) { return c.closed; });

    fds.clear();
    owners.clear();
    fds.push_back({wakeFd, POLLIN, 0});
    fds.push_back({listenFd, POLLIN, 0});
    owners.resize(2, {nullptr, false});
    for (Connection& c : connections) {
      if (c.hung) {
        // Read nothing (the peers' buffers fill, as on a dead link); only notice them leave.
        if (c.client >= 0) fds.push_back({c.client, POLLRDHUP, 0});
        if (c.client >= 0) owners.emplace_back(&c, true);
        if (c.server >= 0) fds.push_back({c.server, POLLRDHUP, 0});
        if (c.server >= 0) owners.emplace_back(&c, false);
        continue;
      }
      short clientEvents = 0, serverEvents = 0;
      if (!c.up.eof && c.up.queued < kBufferCap) clientEvents |= POLLIN;
      if (!c.down.eof && c.down.queued < kBufferCap) serverEvents |= POLLIN;
      if (c.down.writeBlocked) clientEvents |= POLLOUT;
      if (c.up.writeBlocked) serverEvents |= POLLOUT;
      fds.push_back({c.client, clientEvents, 0});
      owners.emplace_back(&c, true);
      fds.push_back({c.server, serverEvents, 0});
      owners.emplace_back(&c, false);
    }
    const auto waitMs = std::chrono::ceil<std::chrono::milliseconds>(wakeAt - Clock::now());
    const int ready =
        ::poll(fds.data(), fds.size(), static_cast<int>(std::max<std::int64_t>(0, waitMs.count())));
    if (ready < 0) continue;  // EINTR
    if (fds[0].revents != 0) {
      std::uint64_t count = 0;
      [[maybe_unused]] const ssize_t n = ::read(wakeFd, &count, sizeof count);
    }
    if (fds[1].revents & POLLIN) acceptOne();
    for (std::size_t i = 2; i < fds.size(); ++i) {
      const short revents = fds[i].revents;
      Connection& c = *owners[i].first;
      const bool clientSide = owners[i].second;
      if (revents == 0 || c.closed) continue;
      if (c.hung) {
        if (clientSide) {
          closeConnection(c, false);  // the client gave up: the end of a hang
        } else {
          closeFd(c.server, false);  // the server timed the connection out; keep hanging
        }
        continue;
      }
      if (revents & POLLERR) {
        closeConnection(c, true);
        continue;
      }
      Direction& outgoing = clientSide ? c.down : c.up;
      if (revents & POLLOUT) outgoing.writeBlocked = false;
      if (revents & (POLLIN | POLLHUP)) readFrom(c, clientSide, (revents & POLLHUP) != 0);
    }
  }
}

TcpProxy::TcpProxy(std::uint16_t targetPort, Faults faults, std::uint64_t seed,
                   std::size_t maxConnections)
    : m_state(std::make_unique<State>()) {
  State& s = *m_state;
  s.targetPort = targetPort;
  s.maxConnections = maxConnections;
  s.faults = faults;
  s.random.seed(seed);
  s.listenFd = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (s.listenFd < 0) throw std::runtime_error("proxy: socket failed");
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = 0;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof address;
  if (::bind(s.listenFd, reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0 ||
      ::listen(s.listenFd, 128) != 0 ||
      ::getsockname(s.listenFd, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
    ::close(s.listenFd);
    throw std::runtime_error("proxy: cannot listen on 127.0.0.1");
  }
  s.port = ntohs(address.sin_port);
  s.wakeFd = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  if (s.wakeFd < 0) {
    ::close(s.listenFd);
    throw std::runtime_error("proxy: eventfd failed");
  }
  s.thread = std::thread([&s] { s.run(); });
}

TcpProxy::~TcpProxy() {
  m_state->stopping = true;
  m_state->wake();
  m_state->thread.join();
  for (Connection& c : m_state->connections) m_state->closeConnection(c, false);
  ::close(m_state->listenFd);
  ::close(m_state->wakeFd);
}

std::uint16_t TcpProxy::port() const { return m_state->port; }

std::string TcpProxy::url() const { return "http://127.0.0.1:" + std::to_string(port()); }

void TcpProxy::setFaults(const Faults& faults) {
  std::lock_guard lock(m_state->mutex);
  m_state->faults = faults;
  m_state->faultsGiven = 0;
}

void TcpProxy::cutAll() {
  m_state->cutAllRequested = true;
  m_state->wake();
}

TcpProxy::Stats TcpProxy::stats() const {
  std::lock_guard lock(m_state->mutex);
  return m_state->stats;
}

std::vector<TcpProxy::Clock::time_point> TcpProxy::acceptTimes() const {
  std::lock_guard lock(m_state->mutex);
  return m_state->accepts;
}

std::vector<TcpProxy::Clock::time_point> TcpProxy::requestStarts() const {
  std::lock_guard lock(m_state->mutex);
  return m_state->requests;
}

}  // namespace opcat::testing
