// Benchmark of the sync server's latency while many slow clients hold connections (prints figures;
// not a test). The real opcat-server on 127.0.0.1. S raw connections trickle valid requests from
// one thread (epoll, non-blocking sockets): half send a pull's headers one byte every
// --byte-interval-ms, half send a push's headers at once and then its body at --body-rate bytes
// per second. A connection the server closes is opened again. Meanwhile one fast tablet does empty
// syncs (a pull with nothing new, then an empty push) in a loop for --seconds: p50/p99/max of
// each request and of the pair.
// Usage: server_slow_clients_bench [--server BINARY] [--server-config FILE] [--slow N]
//          [--seconds N] [--byte-interval-ms N] [--body-rate N] [--dir DIR]
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdio>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "bench_util.h"
#include "opcat/v1/sync.pb.h"
#include "seeded_server.h"
#include "server_bench.h"
#include "support/change_builder.h"
#include "support/loopback_socket.h"
#include "support/server_process.h"
#include "support/sync_client.h"
#include "support/temp_dir.h"
#include "sync/codec/change_proto.h"

namespace opcat::bench {
namespace {

namespace fs = std::filesystem;
using std::chrono::milliseconds;

struct Options {
  std::string server = defaultServerBinary();
  fs::path serverConfig;  // passed as --config, e.g. "worker_threads = 16"
  int slow = 1000;
  int seconds = 20;
  int byteIntervalMs = 100;  // header trickle: 10 bytes/s
  int bodyRate = 5;          // body trickle, bytes/s
  fs::path dir;
};

int usage(const char* argv0) {
  std::fprintf(stderr,
               "usage: %s [--server BINARY] [--server-config FILE] [--slow N] [--seconds N]\n"
               "         [--byte-interval-ms N] [--body-rate N] [--dir DIR]\n",
               argv0);
  return 2;
}

// Raises this process's open-file limit to fit `needed` descriptors (up to the hard limit).
void raiseFileLimit(rlim_t needed) {
  rlimit limit{};
  if (::getrlimit(RLIMIT_NOFILE, &limit) != 0 || limit.rlim_cur >= needed) return;
  limit.rlim_cur = limit.rlim_max == RLIM_INFINITY ? needed : std::min(needed, limit.rlim_max);
  ::setrlimit(RLIMIT_NOFILE, &limit);
}

// The slow connections, driven by one thread.
class SlowClients {
 public:
  struct Script {
    std::string fastPart;  // sent at once on connect
    std::string slowPart;  // then one byte every `interval`
    milliseconds interval;
  };

  SlowClients(std::uint16_t port, std::vector<Script> scripts)
      : m_port(port), m_scripts(std::move(scripts)), m_epoll(::epoll_create1(EPOLL_CLOEXEC)) {}
  ~SlowClients() {
    stop();
    ::close(m_epoll);
  }

  // Connects every script's connection; false when one cannot connect.
  bool open() {
    m_conns.resize(m_scripts.size());
    const auto now = Clock::now();
    for (std::size_t i = 0; i < m_conns.size(); ++i) {
      // Spread the first slow byte over one interval so the bytes do not arrive in bursts.
      const auto offset =
          m_scripts[i].interval * static_cast<int>(i) / static_cast<int>(m_conns.size());
      if (!connect(i, now + offset)) return false;
    }
    m_thread = std::thread([this] { loop(); });
    return true;
  }
  // Stops trickling and closes every connection (so a stopping server need not wait for them).
  void stop() {
    m_stop = true;
    if (m_thread.joinable()) m_thread.join();
    for (Conn& c : m_conns) {
      if (c.fd >= 0) ::close(c.fd);
      c.fd = -1;
    }
  }
  int reopened() const { return m_reopened; }
  int responses() const { return m_responses; }
  std::uint64_t bytesSent() const { return m_bytesSent; }

 private:
  struct Conn {
    int fd = -1;
    std::size_t sent = 0;  // of slowPart
    Clock::time_point next;
  };

  bool connect(std::size_t i, Clock::time_point firstByte) {
    Conn& c = m_conns[i];
    // A loopback connect completes at once (the kernel answers before the server accepts).
    c.fd = testing::connectLoopback(m_port);
    if (c.fd < 0) return false;
    testing::setNonBlocking(c.fd);
    epoll_event event{};
    event.events = EPOLLIN | EPOLLRDHUP;
    event.data.u64 = i;
    ::epoll_ctl(m_epoll, EPOLL_CTL_ADD, c.fd, &event);
    const std::string& fast = m_scripts[i].fastPart;
    if (!fast.empty() && ::send(c.fd, fast.data(), fast.size(), MSG_NOSIGNAL) < 0) return false;
    m_bytesSent += fast.size();
    c.sent = 0;
    c.next = firstByte;
    return true;
  }

  void reopen(std::size_t i) {
    ::close(m_conns[i].fd);  // also leaves the epoll set
    m_conns[i].fd = -1;
    ++m_reopened;
    connect(i, Clock::now() + m_scripts[i].interval);
  }

  void loop() {
    std::vector<epoll_event> events(256);
    char discard[4096];
    while (!m_stop) {
      const int n = ::epoll_wait(m_epoll, events.data(), static_cast<int>(events.size()), 10);
      for (int e = 0; e < n; ++e) {
        const std::size_t i = events[static_cast<std::size_t>(e)].data.u64;
        const ssize_t got = ::recv(m_conns[i].fd, discard, sizeof discard, 0);
        if (got > 0) {
          // A finished request was answered (the slow body completed): start it again.
          ++m_responses;
          reopen(i);
        } else if (got == 0 || (errno != EAGAIN && errno != EINTR)) {
          reopen(i);  // closed by the server, e.g. a header or body timeout
        }
      }
      const auto now = Clock::now();
      for (std::size_t i = 0; i < m_conns.size(); ++i) {
        Conn& c = m_conns[i];
        const Script& script = m_scripts[i];
        if (c.fd < 0 || now < c.next || c.sent >= script.slowPart.size()) continue;
        if (::send(c.fd, script.slowPart.data() + c.sent, 1, MSG_NOSIGNAL) == 1) {
          ++c.sent;
          ++m_bytesSent;
        }
        c.next += script.interval;
        if (c.next < now) c.next = now + script.interval;  // fell behind: do not burst
      }
    }
  }

  std::uint16_t m_port;
  std::vector<Script> m_scripts;
  std::vector<Conn> m_conns;
  int m_epoll;
  std::thread m_thread;
  std::atomic<bool> m_stop{false};
  int m_reopened = 0;
  int m_responses = 0;
  std::uint64_t m_bytesSent = 0;
};

std::string requestHead(const std::string& path, std::uint16_t port, const std::string& token,
                        std::size_t contentLength) {
  return "POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + std::to_string(port) +
         "\r\nUser-Agent: opcat-field/0.1 (slow link)\r\nAuthorization: Bearer " + token +
         "\r\nContent-Type: application/x-protobuf\r\nContent-Length: " +
         std::to_string(contentLength) + "\r\n\r\n";
}

void printLatency(const char* what, const std::vector<double>& ms) {
  if (ms.empty()) return;
  std::printf("  %-28s %6zu   p50 %8.2f ms   p99 %8.2f ms   max %8.2f ms\n", what, ms.size(),
              percentile(ms, 50), percentile(ms, 99), percentile(ms, 100));
}

double openConnections(testing::HttpClient& http, const std::string& url) {
  return prometheusValue(http.get(url + "/metrics").body, "opcat_http_connections_open");
}

int run(const Options& options) {
  raiseFileLimit(static_cast<rlim_t>(options.slow) + 256);
  testing::TempDir temp("opcat-slow-bench");
  const fs::path root = options.dir.empty() ? temp.path() : options.dir;
  const fs::path dataDir = root / "server";
  const testing::SeededData seeded = testing::seedServerData(dataDir);
  testing::ServerProcess::Options serverOptions;
  serverOptions.binary = options.server;
  serverOptions.dataDir = dataDir;
  if (!options.serverConfig.empty()) {
    serverOptions.args = {"--config", fs::absolute(options.serverConfig).string()};
  }
  testing::ServerProcess server(serverOptions);
  std::printf(
      "Opcat Field sync server benchmark: one fast tablet among %d slow connections\n"
      "  opcat-server %s (pid %d) at %s\n",
      options.slow, options.server.c_str(), static_cast<int>(server.pid()), server.url().c_str());

  testing::SyncClient fast(server.url()), slowDevice(server.url());
  testing::ChangeBuilder slowChanges(newUuid());
  if (fast.enroll(seeded.codeA, newUuid()) != 200 ||
      slowDevice.enroll(seeded.codeA2, slowChanges.deviceId()) != 200) {
    std::fprintf(stderr, "enrollment failed\n");
    return 1;
  }
  std::uint64_t cursor = 0;
  fast.pullAll(cursor);  // nothing new after this

  // Valid requests for the slow connections: a pull (headers trickled) and a push of one ~1 KB
  // finding (headers at once, body trickled).
  v1::PullRequest pull;
  pull.set_cursor(0);
  pull.set_limit(1000);
  const std::string pullBody = pull.SerializeAsString();
  std::mt19937 rng(1);
  v1::PushRequest push;
  codec::changeToProto(slowChanges.create(benchFinding(rng, seeded.visit1, 0)),
                       *push.add_changes());
  const std::string pushBody = push.SerializeAsString();
  std::vector<SlowClients::Script> scripts;
  for (int i = 0; i < options.slow; ++i) {
    if (i % 2 == 0) {
      scripts.push_back(
          {"",
           requestHead("/v1/sync/pull", server.port(), slowDevice.token(), pullBody.size()) +
               pullBody,
           milliseconds(options.byteIntervalMs)});
    } else {
      scripts.push_back(
          {requestHead("/v1/sync/push", server.port(), slowDevice.token(), pushBody.size()),
           pushBody, milliseconds(1000 / options.bodyRate)});
    }
  }
  std::printf(
      "  slow: %d trickling a pull's %zu-byte request at %d B/s, %d a push's %zu-byte "
      "body at %d B/s\n",
      (options.slow + 1) / 2, scripts.front().slowPart.size(), 1000 / options.byteIntervalMs,
      options.slow / 2, pushBody.size(), options.bodyRate);

  testing::HttpClient metrics;
  SlowClients slow(server.port(), std::move(scripts));
  const double rss0 = procStatusMiB("VmRSS", server.pid());
  if (!slow.open()) {
    std::fprintf(stderr, "cannot open the slow connections\n");
    return 1;
  }
  std::this_thread::sleep_for(milliseconds(1000));  // every slow connection is mid-request
  const double openBefore = openConnections(metrics, server.url());
  // What the trickle alone costs the server.
  const double idleCpu0 = cpuSeconds(server.pid());
  const auto idleStart = Clock::now();
  std::this_thread::sleep_for(milliseconds(2000));
  const double slowOnlyCpuShare =
      (cpuSeconds(server.pid()) - idleCpu0) / (msSince(idleStart) / 1000.0);

  // The fast tablet: empty syncs, bounded in time and count.
  std::vector<double> pullMs, pushMs, syncMs;
  int errors = 0;
  const double cpu0 = cpuSeconds(server.pid());
  const auto until = Clock::now() + std::chrono::seconds(options.seconds);
  for (int i = 0; i < 200'000 && Clock::now() < until; ++i) {
    long status = 0;
    const auto t0 = Clock::now();
    const auto pulled = fast.pull(cursor, 1000, &status);
    const double pulledMs = msSince(t0);
    if (!pulled || pulled->changes_size() != 0) ++errors;
    const auto t1 = Clock::now();
    const auto pushed = fast.push({}, &status);
    const double pushedMs = msSince(t1);
    if (!pushed) ++errors;
    pullMs.push_back(pulledMs);
    pushMs.push_back(pushedMs);
    syncMs.push_back(msSince(t0));
  }
  const double serverCpuS = cpuSeconds(server.pid()) - cpu0;
  const double openAfter = openConnections(metrics, server.url());
  slow.stop();

  std::printf(
      "\n%.0f connections open at the server before the fast loop, %.0f after; %d slow "
      "requests completed and were answered, %d slow connections closed by the server; all "
      "reopened. The trickle alone used %.1f %% of a core\n",
      openBefore, openAfter, slow.responses(), slow.reopened() - slow.responses(),
      slowOnlyCpuShare * 100);
  std::printf("Fast tablet, %d s of empty syncs (fsync on every push):\n", options.seconds);
  printLatency("pull (nothing new)", pullMs);
  printLatency("push (empty)", pushMs);
  printLatency("sync (pull + push)", syncMs);
  std::printf(
      "  errors: %d; server CPU %.2f s, RSS %.1f MiB before the slow clients, peak %.1f "
      "MiB; %llu slow bytes sent\n",
      errors, serverCpuS, rss0, procStatusMiB("VmHWM", server.pid()),
      static_cast<unsigned long long>(slow.bytesSent()));
  const double p99 = std::max(percentile(pullMs, 99), percentile(pushMs, 99));
  std::printf("  target p99 < 1 s: %s\n", p99 < 1000 && errors == 0 ? "MET" : "MISSED");
  std::printf(
      "\n{\"slow_connections\":%d,\"open_connections\":%.0f,\"seconds\":%d,\"syncs\":%zu,"
      "\"pull_p50_ms\":%.2f,\"pull_p99_ms\":%.2f,\"push_p50_ms\":%.2f,\"push_p99_ms\":%.2f,"
      "\"sync_p50_ms\":%.2f,\"sync_p99_ms\":%.2f,\"sync_max_ms\":%.2f,\"errors\":%d,"
      "\"slow_reopened\":%d,\"slow_only_cpu_share\":%.3f,\"server_cpu_s\":%.2f,"
      "\"server_peak_rss_mb\":%.1f}\n",
      options.slow, openBefore, options.seconds, syncMs.size(), percentile(pullMs, 50),
      percentile(pullMs, 99), percentile(pushMs, 50), percentile(pushMs, 99),
      percentile(syncMs, 50), percentile(syncMs, 99), percentile(syncMs, 100), errors,
      slow.reopened(), slowOnlyCpuShare, serverCpuS, procStatusMiB("VmHWM", server.pid()));
  if (server.stop() != 0) {
    std::fprintf(stderr, "opcat-server did not stop cleanly\n");
    return 1;
  }
  return errors == 0 ? 0 : 1;
}

}  // namespace
}  // namespace opcat::bench

int main(int argc, char** argv) {
  using opcat::bench::usage;
  opcat::bench::Options options;
  using opcat::bench::into;
  if (!opcat::bench::parseFlags(argc, argv, {
          {"--server", into(options.server)},
          {"--server-config", into(options.serverConfig)},
          {"--slow", into(options.slow)},
          {"--seconds", into(options.seconds)},
          {"--byte-interval-ms", into(options.byteIntervalMs)},
          {"--body-rate", into(options.bodyRate)},
          {"--dir", into(options.dir)}})) {
    return usage(argv[0]);
  }
  if (options.slow < 2 || options.slow > 20000 || options.seconds < 1 || options.seconds > 600 ||
      options.byteIntervalMs < 1 || options.byteIntervalMs > 1000 || options.bodyRate < 1 ||
      options.bodyRate > 1000) {
    return usage(argv[0]);
  }
  try {
    return opcat::bench::run(options);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "benchmark failed: %s\n", e.what());
    return 1;
  }
}
