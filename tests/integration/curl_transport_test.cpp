// CurlTransport (shared/net) on real sockets: the real opcat-server over TLS on 127.0.0.1 with
// certificates made by the openssl CLI, `openssl s_server` for protocol versions the server
// does not offer, and a counting TCP relay to see connections. What it proves: a wrong pin or
// a certificate for another host fails before any request reaches the server, TLS below 1.2 is
// refused, one connection serves many requests, and stalls, cancels, oversized replies and
// plain http:// to other hosts end as the sync engine expects.
#include "net/curl_transport.h"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <ifaddrs.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cctype>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <future>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "support/child_process.h"
#include "support/file_bytes.h"
#include "support/server_process.h"
#include "support/temp_dir.h"

namespace opcat::testing {
namespace {

using namespace std::chrono_literals;
using net::CurlOptions;
using net::CurlTransport;
using net::HttpReply;
using net::HttpRequest;
using net::NetError;
using Clock = std::chrono::steady_clock;

const std::string kUnknownPin = "sha256//" + std::string(43, 'A') + "=";

double secondsSince(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// The test certificates, made with the openssl CLI on first use in each test program: an
// office CA issuing the server's certificate (127.0.0.1 and localhost) and one for
// other.example, and a rogue CA, like an intercepting proxy's, issuing another certificate for
// 127.0.0.1. Throws std::runtime_error when openssl fails.
class Pki {
 public:
  // The path of "<name>.pem" or "<name>.key" for name ca, server, other, rogue-ca or rogue.
  std::string file(const std::string& fileName) {
    make(fileName.substr(0, fileName.rfind('.')));
    return path(fileName);
  }
  // "sha256//BASE64" of the certificate's public key, computed as an operator would.
  std::string pin(const std::string& name) {
    make(name);
    const std::string out = path(name + ".pin");
    run("openssl x509 -in '" + path(name + ".pem") +
        "' -pubkey -noout | openssl pkey -pubin -outform der | openssl dgst -sha256 -binary"
        " | base64 > '" +
        out + "'");
    std::string text = readFile(out);
    while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
    return "sha256//" + text;
  }

 private:
  std::string path(const std::string& fileName) const { return (m_dir.path() / fileName).string(); }
  static void run(const std::string& command) {
    if (std::system(("(" + command + ") >/dev/null 2>&1").c_str()) != 0) {
      throw std::runtime_error("openssl CLI failed: " + command);
    }
  }
  // Certificates are written under a temporary name: a half-made .pem must not count as made.
  void make(const std::string& name) {
    if (std::filesystem::exists(path(name + ".pem"))) return;
    if (name == "ca") return makeCa(name, "Opcat Test Office CA");
    if (name == "rogue-ca") return makeCa(name, "Facility Proxy CA");
    if (name == "server") return makeLeaf(name, "ca", "127.0.0.1", "IP:127.0.0.1,DNS:localhost", 2);
    if (name == "other") return makeLeaf(name, "ca", "other.example", "DNS:other.example", 3);
    if (name == "rogue") {
      return makeLeaf(name, "rogue-ca", "127.0.0.1", "IP:127.0.0.1,DNS:localhost", 4);
    }
    throw std::logic_error("no test certificate called " + name);
  }
  void makeCa(const std::string& name, const std::string& subject) {
    run("openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes"
        " -days 2 -subj '/CN=" +
        subject +
        "'"
        " -addext basicConstraints=critical,CA:TRUE"
        " -addext keyUsage=critical,keyCertSign,cRLSign"
        " -keyout '" +
        path(name + ".key") + "' -out '" + path(name + ".tmp") + "'");
    std::filesystem::rename(path(name + ".tmp"), path(name + ".pem"));
  }
  void makeLeaf(const std::string& name, const std::string& ca, const std::string& commonName,
                const std::string& subjectAltName, int serial) {
    make(ca);
    std::ofstream(path(name + ".ext"))
        << "subjectAltName=" << subjectAltName << "\nbasicConstraints=CA:FALSE\n"
        << "keyUsage=digitalSignature\nextendedKeyUsage=serverAuth\n";
    run("openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -subj '/CN=" +
        commonName + "' -keyout '" + path(name + ".key") + "' -out '" + path(name + ".csr") + "'");
    run("openssl x509 -req -in '" + path(name + ".csr") + "' -CA '" + path(ca + ".pem") +
        "' -CAkey '" + path(ca + ".key") + "' -set_serial " + std::to_string(serial) +
        " -days 2 -extfile '" + path(name + ".ext") + "' -out '" + path(name + ".tmp") + "'");
    std::filesystem::rename(path(name + ".tmp"), path(name + ".pem"));
  }

  TempDir m_dir{"opcat-net-pki"};
};

Pki& pki() {
  static Pki instance;
  return instance;
}

// The test-routes server over TLS with the certificate `name` (server, other, rogue).
ServerProcess::Options tlsServer(const std::string& name) {
  ServerProcess::Options options;
  options.binary = OPCAT_TEST_ROUTES_SERVER_BINARY;
  options.args = {"--tls-cert", pki().file(name + ".pem"), "--tls-key", pki().file(name + ".key")};
  return options;
}

// Options trusting the office CA only, with `pins`.
CurlOptions officeTrust(std::vector<std::string> pins = {}) {
  CurlOptions options;
  options.caFile = pki().file("ca.pem");
  options.pins = std::move(pins);
  options.connectTimeout = 5s;
  return options;
}

Result<HttpReply> get(net::HttpTransport& transport, const std::string& url) {
  HttpRequest request;
  request.url = url;
  return transport.send(request);
}

std::optional<NetError> errorOf(const Result<HttpReply>& reply) {
  return reply.isOk() ? std::nullopt : net::netErrorOf(reply.status());
}

std::string describe(const Result<HttpReply>& reply) {
  return reply.isOk() ? "HTTP " + std::to_string(reply->status) : reply.status().toString();
}

// Access-log lines the server wrote: one per request that reached HTTP.
int requestsLogged(const ServerProcess& server) {
  const std::string log = server.stderrText();
  int count = 0;
  for (std::size_t at = log.find("\"route\":"); at != std::string::npos;
       at = log.find("\"route\":", at + 1)) {
    ++count;
  }
  return count;
}

// Waits up to 2 s for the server to log `count` requests (lines are written after replying).
bool waitForRequestsLogged(const ServerProcess& server, int count) {
  const auto start = Clock::now();
  while (requestsLogged(server) < count) {
    if (secondsSince(start) > 2) return false;
    std::this_thread::sleep_for(10ms);
  }
  return true;
}

// The value of the series written exactly as `series`, or -1 when absent.
double metricValue(const std::string& metrics, const std::string& series) {
  std::size_t at = 0;
  while ((at = metrics.find(series + " ", at)) != std::string::npos) {
    if (at == 0 || metrics[at - 1] == '\n') return std::stod(metrics.substr(at + series.size()));
    at += series.size();
  }
  return -1;
}

// A listening TCP socket on `address` (INADDR_LOOPBACK or INADDR_ANY) and a free port.
class Listener {
 public:
  explicit Listener(in_addr_t address) {
    m_fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in local{};
    local.sin_family = AF_INET;
    local.sin_addr.s_addr = htonl(address);
    socklen_t length = sizeof local;
    if (m_fd < 0 || ::bind(m_fd, reinterpret_cast<sockaddr*>(&local), length) != 0 ||
        ::listen(m_fd, 16) != 0 ||
        ::getsockname(m_fd, reinterpret_cast<sockaddr*>(&local), &length) != 0) {
      throw std::runtime_error("cannot listen");
    }
    m_port = ntohs(local.sin_port);
  }
  ~Listener() { ::close(m_fd); }
  Listener(const Listener&) = delete;
  Listener& operator=(const Listener&) = delete;

  std::uint16_t port() const { return m_port; }
  // Accepts one connection within `timeout`: its descriptor, or -1.
  int accept(std::chrono::milliseconds timeout) const {
    pollfd entry{m_fd, POLLIN, 0};
    if (::poll(&entry, 1, static_cast<int>(timeout.count())) <= 0) return -1;
    return ::accept4(m_fd, nullptr, nullptr, SOCK_CLOEXEC);
  }

 private:
  int m_fd = -1;
  std::uint16_t m_port = 0;
};

// Relays TCP connections from a port of 127.0.0.1 to `targetPort`, counting them: how many
// connections a client really opened.
class CountingRelay {
 public:
  explicit CountingRelay(std::uint16_t targetPort)
      : m_targetPort(targetPort), m_thread([this] { acceptLoop(); }) {}
  ~CountingRelay() {
    m_stop = true;
    m_thread.join();
    for (std::thread& pump : m_pumps) pump.join();
  }
  CountingRelay(const CountingRelay&) = delete;
  CountingRelay& operator=(const CountingRelay&) = delete;

  std::uint16_t port() const { return m_listener.port(); }
  int accepted() const { return m_accepted.load(); }

 private:
  void acceptLoop() {
    while (!m_stop) {
      const int client = m_listener.accept(50ms);
      if (client < 0) continue;
      ++m_accepted;
      m_pumps.emplace_back([this, client] { pump(client, connectToTarget()); });
    }
  }
  int connectToTarget() const {
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in target{};
    target.sin_family = AF_INET;
    target.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    target.sin_port = htons(m_targetPort);
    if (::connect(fd, reinterpret_cast<sockaddr*>(&target), sizeof target) != 0) {
      ::close(fd);
      return -1;
    }
    return fd;
  }
  void pump(int client, int upstream) {
    char buffer[16384];
    bool open = upstream >= 0;
    while (open && !m_stop) {
      pollfd fds[2] = {{client, POLLIN, 0}, {upstream, POLLIN, 0}};
      if (::poll(fds, 2, 50) <= 0) continue;
      for (int i = 0; i < 2 && open; ++i) {
        if (fds[i].revents == 0) continue;
        const ssize_t got = ::read(fds[i].fd, buffer, sizeof buffer);
        open = got > 0 && ::write(fds[1 - i].fd, buffer, static_cast<std::size_t>(got)) == got;
      }
    }
    ::close(client);
    if (upstream >= 0) ::close(upstream);
  }

  std::uint16_t m_targetPort;
  Listener m_listener{INADDR_LOOPBACK};
  std::atomic<bool> m_stop{false};
  std::atomic<int> m_accepted{0};
  std::vector<std::thread> m_pumps;  // touched by the accept thread only, until joined
  std::thread m_thread;
};

std::string opensslBinary() {
  const char* path = std::getenv("PATH");
  std::istringstream dirs(path != nullptr ? path : "/usr/bin");
  for (std::string dir; std::getline(dirs, dir, ':');) {
    const std::filesystem::path candidate = std::filesystem::path(dir) / "openssl";
    if (::access(candidate.c_str(), X_OK) == 0) return candidate.string();
  }
  return "/usr/bin/openssl";
}

// `openssl s_server -www` with the office-issued server certificate on a free port of
// 127.0.0.1, restricted by `protocolArgs` (e.g. {"-tls1_2"}). It answers any request with an
// HTTP/1.0 status page naming the negotiated protocol ("New, TLSv1.2, Cipher is ...").
class OpensslServer {
 public:
  explicit OpensslServer(const std::vector<std::string>& protocolArgs) {
    std::vector<std::string> args = {"s_server",    "-accept",
                                     "127.0.0.1:0", "-www",
                                     "-cert",       pki().file("server.pem"),
                                     "-key",        pki().file("server.key")};
    args.insert(args.end(), protocolArgs.begin(), protocolArgs.end());
    const std::filesystem::path out = m_dir.path() / "stdout";
    const int outFd = ::open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    const int errFd = ::open("/dev/null", O_WRONLY | O_CLOEXEC);
    m_pid = spawnProcess(opensslBinary(), args, outFd, errFd);
    ::close(outFd);
    ::close(errFd);
    const auto start = Clock::now();
    while (m_port == 0 && secondsSince(start) < 5) {
      const std::string text = readFile(out);
      const std::size_t at = text.find("ACCEPT 127.0.0.1:");
      const std::size_t end = text.find('\n', at);
      if (at != std::string::npos && end != std::string::npos) {
        m_port = static_cast<std::uint16_t>(std::stoul(text.substr(at + 17, end - at - 17)));
      } else {
        std::this_thread::sleep_for(20ms);
      }
    }
  }
  ~OpensslServer() {
    ::kill(m_pid, SIGKILL);
    waitForProcess(m_pid, 5s);
  }
  OpensslServer(const OpensslServer&) = delete;
  OpensslServer& operator=(const OpensslServer&) = delete;

  std::uint16_t port() const { return m_port; }  // 0 when it did not start
  std::string url() const { return "https://127.0.0.1:" + std::to_string(m_port) + "/"; }

 private:
  TempDir m_dir{"opcat-s-server"};
  pid_t m_pid = -1;
  std::uint16_t m_port = 0;
};

TEST(CurlTransportTest, CorrectPinWithWrongBackupPinGetsHealthz) {
  ServerProcess server(tlsServer("server"));
  ASSERT_EQ(server.url().rfind("https://127.0.0.1:", 0), 0u) << server.url();
  CurlTransport transport(officeTrust({kUnknownPin, pki().pin("server")}));

  const Result<HttpReply> reply = get(transport, server.url() + "/healthz");
  ASSERT_TRUE(reply.isOk()) << describe(reply);
  EXPECT_EQ(reply->status, 200);
  EXPECT_EQ(reply->body, R"({"status":"ok"})");
  EXPECT_EQ(reply->header("content-type").value_or(""), "application/json");

  // By name too: the certificate names localhost as well.
  const std::string byName = "https://localhost:" + std::to_string(server.port()) + "/healthz";
  EXPECT_EQ(describe(get(transport, byName)), "HTTP 200");
  // Without pins, the office CA alone is enough.
  CurlTransport caOnly(officeTrust());
  EXPECT_EQ(describe(get(caOnly, server.url() + "/healthz")), "HTTP 200");
}

TEST(CurlTransportTest, OnlyWrongPinsFailBeforeAnyRequestReachesTheServer) {
  ServerProcess server(tlsServer("server"));
  CurlTransport transport(officeTrust({kUnknownPin, pki().pin("other")}));
  HttpRequest upload;
  upload.method = "POST";
  upload.url = server.url() + "/test/echo-size";
  upload.body = "canary-body-that-must-not-leave";
  const Result<HttpReply> reply = transport.send(upload);
  EXPECT_EQ(errorOf(reply), NetError::kPinMismatch) << describe(reply);
  EXPECT_FALSE(net::isRetryable(NetError::kPinMismatch));
  EXPECT_NE(reply.status().message().find("none of the 2 pinned keys"), std::string::npos)
      << reply.status().message();

  // The server saw no request: no access-log line and no count for the route...
  CurlTransport good(officeTrust({pki().pin("server")}));
  const Result<HttpReply> metrics = get(good, server.url() + "/metrics");
  ASSERT_TRUE(metrics.isOk()) << describe(metrics);
  EXPECT_EQ(metricValue(metrics->body, R"(opcat_http_requests_total{route="/test/echo-size",)"
                                       R"(method="POST",status="200"})"),
            -1);
  ASSERT_TRUE(waitForRequestsLogged(server, 1));
  EXPECT_EQ(requestsLogged(server), 1) << server.stderrText();  // only the /metrics above
  // ...while the same request with the right pin does arrive.
  CurlTransport rightPin(officeTrust({pki().pin("server")}));
  const Result<HttpReply> delivered = rightPin.send(upload);
  ASSERT_TRUE(delivered.isOk()) << describe(delivered);
  EXPECT_EQ(delivered->body, R"({"size":31})");
}

TEST(CurlTransportTest, InterceptingProxyCertificateIsStoppedByThePins) {
  // A facility proxy whose CA the device trusts (here: given as caFile) presents a valid
  // certificate for the right host. Only the pins tell it from the real server.
  ServerProcess proxy(tlsServer("rogue"));
  CurlOptions trustsProxyCa;
  trustsProxyCa.caFile = pki().file("rogue-ca.pem");
  CurlTransport unpinned(trustsProxyCa);
  EXPECT_EQ(describe(get(unpinned, proxy.url() + "/healthz")), "HTTP 200");

  trustsProxyCa.pins = {pki().pin("server"), kUnknownPin};
  CurlTransport pinned(trustsProxyCa);
  const Result<HttpReply> reply = get(pinned, proxy.url() + "/test/bytes/10");
  EXPECT_EQ(errorOf(reply), NetError::kPinMismatch) << describe(reply);
  ASSERT_TRUE(waitForRequestsLogged(proxy, 1));
  EXPECT_EQ(proxy.stderrText().find("/test/bytes"), std::string::npos) << proxy.stderrText();
}

TEST(CurlTransportTest, CertificateForAnotherHostFailsWithTlsBeforeAnyRequest) {
  ServerProcess server(tlsServer("other"));
  CurlTransport caOnly(officeTrust());
  const Result<HttpReply> reply = get(caOnly, server.url() + "/healthz");
  EXPECT_EQ(errorOf(reply), NetError::kTls) << describe(reply);
  // A matching pin does not excuse a wrong host name.
  CurlTransport pinned(officeTrust({pki().pin("other")}));
  const Result<HttpReply> pinnedReply = get(pinned, server.url() + "/healthz");
  EXPECT_EQ(errorOf(pinnedReply), NetError::kTls) << describe(pinnedReply);
  EXPECT_EQ(requestsLogged(server), 0) << server.stderrText();
}

TEST(CurlTransportTest, CertificateFromAnUntrustedCaFailsWithTls) {
  ServerProcess server(tlsServer("server"));
  CurlTransport systemStore;  // does not know the office CA
  EXPECT_EQ(errorOf(get(systemStore, server.url() + "/healthz")), NetError::kTls);
  CurlOptions otherCa;
  otherCa.caFile = pki().file("rogue-ca.pem");  // caFile replaces the system store
  CurlTransport wrongCa(otherCa);
  EXPECT_EQ(errorOf(get(wrongCa, server.url() + "/healthz")), NetError::kTls);
  EXPECT_EQ(requestsLogged(server), 0) << server.stderrText();
}

TEST(CurlTransportTest, PlainHttpToTheTlsPortAndTlsToAPlainPortFail) {
  ServerProcess tls(tlsServer("server"));
  CurlTransport transport(officeTrust());
  const Result<HttpReply> plain =
      get(transport, "http://127.0.0.1:" + std::to_string(tls.port()) + "/healthz");
  EXPECT_FALSE(plain.isOk()) << describe(plain);
  EXPECT_TRUE(errorOf(plain).has_value()) << describe(plain);

  ServerProcess::Options plainOptions;
  plainOptions.binary = OPCAT_TEST_ROUTES_SERVER_BINARY;
  ServerProcess plainServer(plainOptions);
  const Result<HttpReply> tlsToPlain =
      get(transport, "https://127.0.0.1:" + std::to_string(plainServer.port()) + "/healthz");
  EXPECT_EQ(errorOf(tlsToPlain), NetError::kTls) << describe(tlsToPlain);

  EXPECT_EQ(describe(get(transport, tls.url() + "/healthz")), "HTTP 200");
}

TEST(CurlTransportTest, ServerLimitedToTls12Works) {
  OpensslServer server({"-tls1_2"});
  ASSERT_NE(server.port(), 0) << "openssl s_server did not start";
  CurlTransport transport(officeTrust({pki().pin("server"), kUnknownPin}));
  const Result<HttpReply> reply = get(transport, server.url());
  ASSERT_TRUE(reply.isOk()) << describe(reply);
  EXPECT_EQ(reply->status, 200);
  EXPECT_NE(reply->body.find("New, TLSv1.2, Cipher is"), std::string::npos) << reply->body;
}

// A control handshake with libcurl directly, allowing TLS 1.0 and up: CURLE_OK when it worked.
CURLcode legacyHandshake(const std::string& url, bool lowerSecurityLevel) {
  CURL* curl = curl_easy_init();
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_CAINFO, pki().file("ca.pem").c_str());
  curl_easy_setopt(
      curl, CURLOPT_WRITEFUNCTION,
      +[](char*, std::size_t size, std::size_t count, void*) { return size * count; });
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, 5000L);
  curl_easy_setopt(curl, CURLOPT_SSLVERSION, static_cast<long>(CURL_SSLVERSION_TLSv1_0));
  if (lowerSecurityLevel) curl_easy_setopt(curl, CURLOPT_SSL_CIPHER_LIST, "DEFAULT@SECLEVEL=0");
  const CURLcode result = curl_easy_perform(curl);
  curl_easy_cleanup(curl);
  return result;
}

// Also registered with OPENSSL_CONF set to a configuration that allows TLS 1.0/1.1 for the
// whole process (OPCAT_TEST_LEGACY_OPENSSL_CONF=1): there only CurlTransport's own minimum can
// refuse. Without it, Debian's OpenSSL defaults would refuse TLS 1.1 by themselves as well.
TEST(CurlTransportTest, ServerOfferingOnlyTls11IsRefused) {
  OpensslServer server({"-tls1_1", "-cipher", "DEFAULT@SECLEVEL=0"});
  ASSERT_NE(server.port(), 0) << "openssl s_server did not start";
  // The server really completes TLS 1.1 handshakes with a client that allows them...
  ASSERT_EQ(legacyHandshake(server.url(), true), CURLE_OK) << "no TLS 1.1 on this system";
  const bool legacyDefaults = std::getenv("OPCAT_TEST_LEGACY_OPENSSL_CONF") != nullptr;
  if (legacyDefaults) {
    // ...even with the process's default OpenSSL settings, the ones CurlTransport uses...
    ASSERT_EQ(legacyHandshake(server.url(), false), CURLE_OK)
        << "OPENSSL_CONF did not lower the process defaults";
  }
  // ...and CurlTransport refuses it.
  CurlTransport transport(officeTrust({pki().pin("server")}));
  const Result<HttpReply> reply = get(transport, server.url());
  EXPECT_EQ(errorOf(reply), NetError::kTls) << describe(reply);
}

TEST(CurlTransportTest, ManyRequestsShareOneConnection) {
  ServerProcess server(tlsServer("server"));
  CountingRelay relay(server.port());
  const std::string base = "https://127.0.0.1:" + std::to_string(relay.port());
  CurlTransport transport(officeTrust({pki().pin("server")}));
  for (int i = 0; i < 5; ++i) {
    ASSERT_EQ(describe(get(transport, base + "/healthz")), "HTTP 200") << i;
  }
  const Result<HttpReply> metrics = get(transport, base + "/metrics");
  ASSERT_TRUE(metrics.isOk()) << describe(metrics);
  EXPECT_EQ(relay.accepted(), 1);
  EXPECT_EQ(metricValue(metrics->body, "opcat_http_connections_open"), 1);

  CurlTransport second(officeTrust({pki().pin("server")}));  // its own connection
  ASSERT_EQ(describe(get(second, base + "/healthz")), "HTTP 200");
  EXPECT_EQ(relay.accepted(), 2);
}

TEST(CurlTransportTest, StalledResponseFailsWithTimeoutAtTheLowSpeedLimit) {
  ServerProcess server(tlsServer("server"));
  CurlOptions options = officeTrust();
  options.lowSpeedTime = 1s;
  CurlTransport transport(options);
  const auto start = Clock::now();
  const Result<HttpReply> reply = get(transport, server.url() + "/test/sleep/5000");
  EXPECT_EQ(errorOf(reply), NetError::kTimeout) << describe(reply);
  EXPECT_TRUE(net::isRetryable(NetError::kTimeout));
  EXPECT_GE(secondsSince(start), 0.9);
  EXPECT_LT(secondsSince(start), 3.5);
}

TEST(CurlTransportTest, TotalTimeoutEndsASlowExchange) {
  ServerProcess server(tlsServer("server"));
  CurlOptions options = officeTrust();
  options.totalTimeout = 600ms;
  CurlTransport transport(options);
  const auto start = Clock::now();
  const Result<HttpReply> reply = get(transport, server.url() + "/test/sleep/3000");
  EXPECT_EQ(errorOf(reply), NetError::kTimeout) << describe(reply);
  EXPECT_LT(secondsSince(start), 2.0);
}

TEST(CurlTransportTest, CancelFromAnotherThreadEndsTheRequestPromptly) {
  ServerProcess server(tlsServer("server"));
  CurlTransport transport(officeTrust({pki().pin("server")}));
  auto pending = std::async(std::launch::async,
                            [&] { return get(transport, server.url() + "/test/sleep/5000"); });
  std::this_thread::sleep_for(400ms);  // connected, waiting for the reply
  const auto cancelledAt = Clock::now();
  transport.cancel();
  ASSERT_EQ(pending.wait_for(2s), std::future_status::ready);
  const Result<HttpReply> reply = pending.get();
  EXPECT_EQ(errorOf(reply), NetError::kCancelled) << describe(reply);
  EXPECT_LT(secondsSince(cancelledAt), 1.0);
  // Cancelling is not sticky: the next exchange works.
  EXPECT_EQ(describe(get(transport, server.url() + "/healthz")), "HTTP 200");
}

TEST(CurlTransportTest, ResponseOverTheLimitIsTooLarge) {
  ServerProcess server(tlsServer("server"));
  CurlOptions options = officeTrust();
  options.maxResponseBytes = 1000;
  CurlTransport transport(options);
  const Result<HttpReply> atLimit = get(transport, server.url() + "/test/bytes/1000");
  ASSERT_TRUE(atLimit.isOk()) << describe(atLimit);
  EXPECT_EQ(atLimit->body.size(), 1000u);
  for (const char* size : {"1001", "5000000"}) {
    const Result<HttpReply> over = get(transport, server.url() + "/test/bytes/" + size);
    EXPECT_EQ(errorOf(over), NetError::kTooLarge) << size << ": " << describe(over);
  }
  EXPECT_EQ(describe(get(transport, server.url() + "/healthz")), "HTTP 200");
}

std::optional<std::string> nonLoopbackIpv4() {
  ifaddrs* list = nullptr;
  if (::getifaddrs(&list) != 0) return std::nullopt;
  std::optional<std::string> found;
  for (ifaddrs* entry = list; entry != nullptr && !found; entry = entry->ifa_next) {
    if (entry->ifa_addr == nullptr || entry->ifa_addr->sa_family != AF_INET) continue;
    in_addr address{};
    std::memcpy(&address, &reinterpret_cast<sockaddr_in*>(entry->ifa_addr)->sin_addr,
                sizeof address);
    if ((ntohl(address.s_addr) >> 24) == 127) continue;
    char text[INET_ADDRSTRLEN] = {};
    if (::inet_ntop(AF_INET, &address, text, sizeof text) != nullptr) found = text;
  }
  ::freeifaddrs(list);
  return found;
}

TEST(CurlTransportTest, PlainHttpToANonLoopbackHostIsRefusedWithoutConnecting) {
  const std::optional<std::string> address = nonLoopbackIpv4();
  if (!address) GTEST_SKIP() << "no non-loopback IPv4 address on this machine";
  Listener listener(INADDR_ANY);
  const std::string hostPort = *address + ":" + std::to_string(listener.port());
  CurlTransport transport;
  const auto start = Clock::now();
  const Result<HttpReply> reply = get(transport, "http://" + hostPort + "/healthz?token=t-1");
  EXPECT_EQ(errorOf(reply), NetError::kTls) << describe(reply);
  EXPECT_NE(reply.status().message().find("TLS is required"), std::string::npos);
  EXPECT_EQ(reply.status().message().find("t-1"), std::string::npos);
  EXPECT_LT(secondsSince(start), 0.2);
  EXPECT_EQ(listener.accept(300ms), -1) << "the transport connected";

  // Control: https:// to the same place does connect, so the listener would have seen it.
  CurlOptions quick;
  quick.connectTimeout = 2s;
  quick.totalTimeout = 3s;
  CurlTransport control(quick);
  auto attempt =
      std::async(std::launch::async, [&] { return get(control, "https://" + hostPort + "/"); });
  const int accepted = listener.accept(3s);
  EXPECT_GE(accepted, 0) << "no connection from the https:// control";
  if (accepted >= 0) ::close(accepted);
  EXPECT_FALSE(attempt.get().isOk());
}

TEST(CurlTransportTest, PlainHttpOnLoopbackCarriesMethodsBodiesAndHeaders) {
  ServerProcess::Options options;
  options.binary = OPCAT_TEST_ROUTES_SERVER_BINARY;
  ServerProcess server(options);
  ASSERT_EQ(server.url().rfind("http://127.0.0.1:", 0), 0u) << server.url();
  CurlTransport transport;

  HttpRequest upload;
  upload.method = "POST";
  upload.url = server.url() + "/test/echo-size";
  upload.headers = {{"Content-Type", "application/octet-stream"}};
  upload.body = std::string(200000, 'b');
  const Result<HttpReply> uploaded = transport.send(upload);
  ASSERT_TRUE(uploaded.isOk()) << describe(uploaded);
  EXPECT_EQ(uploaded->body, R"({"size":200000})");

  HttpRequest wrongMethod;
  wrongMethod.method = "DELETE";
  wrongMethod.url = server.url() + "/healthz";
  const Result<HttpReply> refused = transport.send(wrongMethod);
  ASSERT_TRUE(refused.isOk()) << describe(refused);  // an HTTP error is still a reply
  EXPECT_EQ(refused->status, 405);
  EXPECT_EQ(refused->header("Allow").value_or(""), "GET");

  const Result<HttpReply> missing = get(transport, server.url() + "/no/such/thing");
  ASSERT_TRUE(missing.isOk()) << describe(missing);
  EXPECT_EQ(missing->status, 404);
  EXPECT_EQ(missing->header("content-type").value_or(""), "application/problem+json");

  HttpRequest head;
  head.method = "HEAD";
  head.url = server.url() + "/healthz";
  const Result<HttpReply> headReply = transport.send(head);
  ASSERT_TRUE(headReply.isOk()) << describe(headReply);
  EXPECT_TRUE(headReply->body.empty());
}

// libcurl holds back a large body until the server answers "100 Continue": on a mobile link
// with a 300 ms round trip, every big push or upload would wait that long for nothing.
TEST(CurlTransportTest, LargeBodiesAreSentWithoutWaitingForContinue) {
  Listener listener(INADDR_LOOPBACK);
  CurlOptions options;
  options.totalTimeout = 10s;
  CurlTransport transport(options);
  HttpRequest upload;
  upload.method = "POST";
  upload.url = "http://127.0.0.1:" + std::to_string(listener.port()) + "/v1/sync/push";
  upload.headers = {{"Content-Type", "application/x-protobuf"}};
  upload.body = std::string(std::size_t{3} << 20, 'p');  // over libcurl's 1 MiB threshold
  auto reply = std::async(std::launch::async, [&] { return transport.send(upload); });

  const int fd = listener.accept(5s);
  ASSERT_GE(fd, 0) << "the transport did not connect";
  std::string received;
  std::size_t headerEnd = std::string::npos;
  const auto deadline = Clock::now() + 5s;
  // The whole request must arrive without this side ever sending "100 Continue".
  while (Clock::now() < deadline) {
    pollfd entry{fd, POLLIN, 0};
    if (::poll(&entry, 1, 200) <= 0) continue;
    char chunk[65536];
    const ssize_t n = ::read(fd, chunk, sizeof chunk);
    if (n <= 0) break;
    received.append(chunk, static_cast<std::size_t>(n));
    if (headerEnd == std::string::npos) headerEnd = received.find("\r\n\r\n");
    if (headerEnd != std::string::npos && received.size() - headerEnd - 4 >= upload.body.size()) {
      break;
    }
  }
  ASSERT_NE(headerEnd, std::string::npos) << "no request header arrived";
  std::string header = received.substr(0, headerEnd);
  for (char& c : header) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  EXPECT_EQ(header.find("expect:"), std::string::npos) << header;
  EXPECT_EQ(received.size() - headerEnd - 4, upload.body.size());
  const std::string answer = "HTTP/1.1 204 No Content\r\nConnection: close\r\n\r\n";
  EXPECT_EQ(::write(fd, answer.data(), answer.size()), static_cast<ssize_t>(answer.size()));
  ::close(fd);
  const Result<HttpReply> done = reply.get();
  ASSERT_TRUE(done.isOk()) << describe(done);
  EXPECT_EQ(done->status, 204);
}

}  // namespace
}  // namespace opcat::testing
