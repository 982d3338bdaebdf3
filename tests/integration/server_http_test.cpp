// The HTTP foundation of opcat-server, tested through the real binary on a free port of
// 127.0.0.1 with libcurl and raw TCP clients: routing and problems, limits and timeouts,
// metrics and logs, TLS, graceful stop, and the refusals at start.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <future>
#include <random>
#include <regex>
#include <string>
#include <thread>
#include <vector>

#include "crypto/attachment_stream.h"
#include "support/http_client.h"
#include "support/raw_connection.h"
#include "support/server_process.h"
#include "support/temp_dir.h"

namespace opcat::testing {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

std::string testRoutesBinary() { return OPCAT_TEST_ROUTES_SERVER_BINARY; }

std::filesystem::path writeFile(const std::filesystem::path& path, const std::string& text) {
  std::ofstream(path, std::ios::binary) << text;
  return path;
}

// Options for a server with a config file holding `configText` (written into `dir`).
ServerProcess::Options withConfig(const TempDir& dir, const std::string& configText,
                                  const std::string& binary = ServerProcess::defaultBinary()) {
  ServerProcess::Options options;
  options.binary = binary;
  options.args = {"--config", writeFile(dir / "server.conf", configText).string()};
  return options;
}

int problemCode(const std::string& body) {
  std::smatch match;
  if (!std::regex_search(body, match, std::regex(R"("code":(\d+))"))) return 0;
  return std::stoi(match[1].str());
}

// The value of the series written exactly as `series` (name and labels), or -1 when absent.
double metricValue(const std::string& metrics, const std::string& series) {
  std::size_t at = 0;
  while ((at = metrics.find(series + " ", at)) != std::string::npos) {
    if (at == 0 || metrics[at - 1] == '\n') {
      return std::stod(metrics.substr(at + series.size() + 1));
    }
    at += series.size();
  }
  return -1;
}

double elapsedSeconds(Clock::time_point since) {
  return std::chrono::duration<double>(Clock::now() - since).count();
}

std::string statusLineOf(const std::string& response) {
  return response.substr(0, response.find("\r\n"));
}

TEST(ServerHttpTest, HealthzAnswersOkOnLoopbackUrl) {
  ServerProcess server;
  EXPECT_EQ(server.url().rfind("http://127.0.0.1:", 0), 0u) << server.url();
  EXPECT_NE(server.port(), 0);

  HttpClient client;
  const HttpResponse response = client.get(server.url() + "/healthz");
  EXPECT_EQ(response.status, 200) << response.error;
  EXPECT_EQ(response.body, R"({"status":"ok"})");
  EXPECT_EQ(response.header("Content-Type").value_or(""), "application/json");
  EXPECT_EQ(response.header("Cache-Control").value_or(""), "no-store");
}

TEST(ServerHttpTest, KeepAliveConnectionServesPipelinedRequests) {
  ServerProcess server;
  RawConnection connection(server.port());
  ASSERT_TRUE(
      connection.send("GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n"
                      "GET /nope HTTP/1.1\r\nHost: t\r\n\r\n"));
  EXPECT_EQ(statusLineOf(connection.readResponse(5s)), "HTTP/1.1 200 OK");
  EXPECT_EQ(statusLineOf(connection.readResponse(5s)), "HTTP/1.1 404 Not Found");
  ASSERT_TRUE(connection.send("GET /healthz HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n"));
  EXPECT_EQ(statusLineOf(connection.readResponse(5s)), "HTTP/1.1 200 OK");
  connection.readUntilClosed(5s);
  EXPECT_TRUE(connection.closedByPeer());
}

TEST(ServerHttpTest, MetricsExposeCountersThatIncrease) {
  ServerProcess server;
  HttpClient client;
  const std::string healthSeries =
      R"(opcat_http_requests_total{route="/healthz",method="GET",status="200"})";

  const HttpResponse first = client.get(server.url() + "/metrics");
  ASSERT_EQ(first.status, 200) << first.error;
  EXPECT_NE(first.header("Content-Type").value_or("").find("version=0.0.4"), std::string::npos);
  for (const char* name :
       {"# TYPE opcat_http_connections_open gauge",
        "# TYPE opcat_http_bytes_received_total counter",
        "# TYPE opcat_http_bytes_sent_total counter", "# TYPE process_resident_memory_bytes gauge",
        "opcat_build_info{version=\""}) {
    EXPECT_NE(first.body.find(name), std::string::npos) << name;
  }
  EXPECT_GT(metricValue(first.body, "process_resident_memory_bytes"), 1e6);
  EXPECT_EQ(metricValue(first.body, "opcat_http_connections_open"), 1);
  const double healthBefore = std::max(0.0, metricValue(first.body, healthSeries));
  const double receivedBefore = metricValue(first.body, "opcat_http_bytes_received_total");

  for (int i = 0; i < 3; ++i) ASSERT_EQ(client.get(server.url() + "/healthz").status, 200);

  const HttpResponse second = client.get(server.url() + "/metrics");
  ASSERT_EQ(second.status, 200);
  EXPECT_EQ(metricValue(second.body, healthSeries), healthBefore + 3);
  EXPECT_GT(metricValue(second.body, "opcat_http_bytes_received_total"), receivedBefore);
  EXPECT_GT(metricValue(second.body, "opcat_http_bytes_sent_total"), 0);
  EXPECT_EQ(
      metricValue(second.body, R"(opcat_http_request_duration_seconds_count{route="/healthz"})"),
      healthBefore + 3);
  EXPECT_GE(
      metricValue(second.body,
                  R"(opcat_http_request_duration_seconds_bucket{route="/healthz",le="+Inf"})"),
      3);
}

// With a token digest configured, a scrape needs that token even from loopback; the digest, not
// the token, is what the config file holds.
TEST(ServerHttpTest, MetricsWithAConfiguredTokenNeedIt) {
  TempDir dir;
  const std::string token = "scrape-7f3c9a1e";
  ServerProcess server(withConfig(dir, "metrics_token_sha256 = " +
                                           crypto::toHex(crypto::sha256(std::span(
                                               reinterpret_cast<const std::uint8_t*>(token.data()),
                                               token.size()))) +
                                           "\n"));
  HttpClient client;
  for (const HttpHeaders& wrong :
       {HttpHeaders{}, HttpHeaders{{"Authorization", "Bearer scrape-7f3c9a1f"}},
        HttpHeaders{{"Authorization", "Basic " + token}},
        HttpHeaders{{"Authorization", "Bearer " + std::string(4096, 'a')}}}) {
    const HttpResponse refused = client.get(server.url() + "/metrics", wrong);
    EXPECT_EQ(refused.status, 401);
    EXPECT_EQ(problemCode(refused.body), 1401);
    EXPECT_EQ(refused.header("WWW-Authenticate").value_or(""), "Bearer");
    EXPECT_EQ(refused.body.find("opcat_http"), std::string::npos) << "no metric in a refusal";
  }
  const HttpResponse scraped =
      client.get(server.url() + "/metrics", {{"Authorization", "Bearer " + token}});
  ASSERT_EQ(scraped.status, 200);
  EXPECT_NE(scraped.body.find("# TYPE opcat_http_requests_total counter"), std::string::npos);
  EXPECT_EQ(client.get(server.url() + "/healthz").status, 200) << "liveness stays open";
}

TEST(ServerHttpTest, UnknownPathIs404Problem) {
  ServerProcess server;
  HttpClient client;
  const HttpResponse response = client.get(server.url() + "/no/such/thing");
  EXPECT_EQ(response.status, 404);
  EXPECT_EQ(response.header("Content-Type").value_or(""), "application/problem+json");
  EXPECT_EQ(problemCode(response.body), 1004) << response.body;
  EXPECT_NE(response.body.find(R"("title":"Not found")"), std::string::npos) << response.body;
}

TEST(ServerHttpTest, WrongMethodIs405ProblemWithAllow) {
  ServerProcess server;
  HttpClient client;
  const HttpResponse response = client.request("DELETE", server.url() + "/healthz");
  EXPECT_EQ(response.status, 405);
  EXPECT_EQ(response.header("Allow").value_or(""), "GET");
  EXPECT_EQ(problemCode(response.body), 1005) << response.body;
}

TEST(ServerHttpTest, PathParametersReachHandlerDecoded) {
  ServerProcess::Options options;
  options.binary = testRoutesBinary();
  ServerProcess server(options);
  HttpClient client;
  const HttpResponse response = client.get(server.url() + "/test/teams/t-1/visits/v%2042");
  EXPECT_EQ(response.status, 200) << response.error;
  EXPECT_EQ(response.body, R"({"team":"t-1","visit":"v 42"})");
  EXPECT_EQ(client.get(server.url() + "/test/teams/t-1/visits/").status, 404);
  EXPECT_EQ(client.get(server.url() + "/test/teams/t-1/visits/bad%zz").status, 404);
}

TEST(ServerHttpTest, BodyOverLimitIs413AndServerKeepsServing) {
  TempDir dir;
  ServerProcess server(withConfig(dir, "max_body_bytes = 1024\n", testRoutesBinary()));
  HttpClient client;

  const HttpResponse atLimit =
      client.post(server.url() + "/test/echo-size", std::string(1024, 'a'), "text/plain");
  EXPECT_EQ(atLimit.status, 200) << atLimit.error;
  EXPECT_EQ(atLimit.body, R"({"size":1024})");

  const HttpResponse over =
      client.post(server.url() + "/test/echo-size", std::string(4096, 'a'), "text/plain");
  EXPECT_EQ(over.status, 413) << over.error;
  EXPECT_EQ(problemCode(over.body), 1002) << over.body;

  {  // Declared length over the limit, body sent at once without waiting for 100 Continue.
    RawConnection raw(server.port());
    raw.send("POST /test/echo-size HTTP/1.1\r\nHost: t\r\nContent-Length: 5000\r\n\r\n" +
             std::string(5000, 'b'));
    const std::string response = raw.readResponse(5s);
    EXPECT_EQ(statusLineOf(response), "HTTP/1.1 413 Payload Too Large");
    EXPECT_NE(response.find("\"code\":1002"), std::string::npos);
  }
  {  // Chunked body that grows past the limit.
    RawConnection raw(server.port());
    std::string request =
        "POST /test/echo-size HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n";
    for (int i = 0; i < 4; ++i) request += "200\r\n" + std::string(512, 'c') + "\r\n";
    request += "0\r\n\r\n";
    raw.send(request);
    EXPECT_EQ(statusLineOf(raw.readResponse(5s)), "HTTP/1.1 413 Payload Too Large");
  }

  HttpClient fresh;
  EXPECT_EQ(fresh.get(server.url() + "/healthz").status, 200);
}

TEST(ServerHttpTest, MalformedRequestsGet400OrCloseAndServerKeepsServing) {
  ServerProcess server;
  {
    RawConnection raw(server.port());
    raw.send("GARBAGE\r\n\r\n");
    const std::string response = raw.readUntilClosed(5s);
    EXPECT_TRUE(raw.closedByPeer());
    EXPECT_EQ(statusLineOf(response), "HTTP/1.1 400 Bad Request");
    EXPECT_NE(response.find("\"code\":1001"), std::string::npos) << response;
  }
  {
    RawConnection raw(server.port());
    raw.send("GET /healthz HTTP/1.1\r\nHost: t\r\nBad Header Name: x\r\n\r\n");
    EXPECT_EQ(statusLineOf(raw.readUntilClosed(5s)), "HTTP/1.1 400 Bad Request");
  }
  {
    std::mt19937 random(20240501);
    std::string noise(4096, '\0');
    for (char& c : noise) c = static_cast<char>(random() & 0xff);
    RawConnection raw(server.port());
    raw.send(noise + "\r\n\r\n");
    const std::string response = raw.readUntilClosed(5s);
    EXPECT_TRUE(raw.closedByPeer());
    EXPECT_TRUE(response.empty() || statusLineOf(response) == "HTTP/1.1 400 Bad Request")
        << statusLineOf(response);
  }
  {
    RawConnection raw(server.port());
    raw.send("GET /healthz HTTP/1.1\r\nHost: t\r\nX-Big: " + std::string(20 * 1024, 'h') +
             "\r\n\r\n");
    const std::string response = raw.readUntilClosed(5s);
    EXPECT_EQ(statusLineOf(response), "HTTP/1.1 431 Request Header Fields Too Large");
    EXPECT_NE(response.find("\"code\":1007"), std::string::npos);
  }
  HttpClient client;
  EXPECT_EQ(client.get(server.url() + "/healthz").status, 200);
}

TEST(ServerHttpTest, SlowHeadersAreCutOffWhileFastClientsAreServed) {
  TempDir dir;
  // One I/O thread: trickling clients must not hold it.
  ServerProcess server(withConfig(dir, "header_timeout_s = 2\nio_threads = 1\n"));
  const auto start = Clock::now();

  auto trickle = [&server] {
    RawConnection raw(server.port());
    raw.send("GET /healthz HTTP/1.1\r\nHost: t\r\n");
    const auto begun = Clock::now();
    while (elapsedSeconds(begun) < 8) {
      raw.send("X-Slow: a\r\n");
      raw.readUntilClosed(200ms);
      if (raw.closedByPeer()) return elapsedSeconds(begun);
    }
    return -1.0;
  };
  std::vector<std::future<double>> slow;
  for (int i = 0; i < 3; ++i) slow.push_back(std::async(std::launch::async, trickle));

  double slowestFast = 0;
  int fastOk = 0;
  while (elapsedSeconds(start) < 1.8) {
    HttpClient client;  // a new connection each time
    const auto before = Clock::now();
    if (client.get(server.url() + "/healthz").status == 200) ++fastOk;
    slowestFast = std::max(slowestFast, elapsedSeconds(before));
    std::this_thread::sleep_for(100ms);
  }
  EXPECT_GE(fastOk, 5);
  EXPECT_LT(slowestFast, 0.5);

  for (auto& closedAfter : slow) {
    const double seconds = closedAfter.get();
    EXPECT_GE(seconds, 1.5) << "closed before the header timeout";
    EXPECT_LE(seconds, 4.0) << "not closed after the header timeout (-1: never)";
  }
  HttpClient client;
  EXPECT_EQ(client.get(server.url() + "/healthz").status, 200);
  server.stop();
  EXPECT_NE(server.stderrText().find("\"status\":408"), std::string::npos);
}

TEST(ServerHttpTest, StalledBodyIsClosedAfterIdleTimeout) {
  TempDir dir;
  ServerProcess server(withConfig(dir, "body_idle_timeout_s = 1\n", testRoutesBinary()));
  RawConnection raw(server.port());
  const auto start = Clock::now();
  raw.send("POST /test/echo-size HTTP/1.1\r\nHost: t\r\nContent-Length: 100\r\n\r\n");
  // Trickling keeps the upload alive past the timeout...
  for (int i = 0; i < 5; ++i) {
    raw.send("x");
    std::this_thread::sleep_for(300ms);
  }
  EXPECT_FALSE(raw.closedByPeer());
  // ...a pause longer than it ends the connection.
  raw.readUntilClosed(4s);
  EXPECT_TRUE(raw.closedByPeer());
  EXPECT_LT(elapsedSeconds(start), 6.0);
}

TEST(ServerHttpTest, ConnectionsBeyondMaximumAreClosedAtOnce) {
  TempDir dir;
  ServerProcess server(withConfig(dir, "max_connections = 2\n"));
  RawConnection first(server.port());
  RawConnection second(server.port());
  ASSERT_TRUE(first.send("GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n"));
  EXPECT_EQ(statusLineOf(first.readResponse(5s)), "HTTP/1.1 200 OK");
  ASSERT_TRUE(second.send("GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n"));
  EXPECT_EQ(statusLineOf(second.readResponse(5s)), "HTTP/1.1 200 OK");

  const auto start = Clock::now();
  RawConnection third(server.port());
  third.send("GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n");
  EXPECT_EQ(third.readUntilClosed(3s), "");
  EXPECT_TRUE(third.closedByPeer());
  EXPECT_LT(elapsedSeconds(start), 1.0);

  ASSERT_TRUE(first.send("GET /healthz HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n"));
  EXPECT_EQ(statusLineOf(first.readResponse(5s)), "HTTP/1.1 200 OK");
  first.readUntilClosed(2s);
  std::this_thread::sleep_for(100ms);
  HttpClient client;
  EXPECT_EQ(client.get(server.url() + "/healthz").status, 200);
}

TEST(ServerHttpTest, HandlerExceptionIs500ProblemWithoutItsText) {
  ServerProcess::Options options;
  options.binary = testRoutesBinary();
  ServerProcess server(options);
  HttpClient client;
  const HttpResponse response = client.get(server.url() + "/test/throw");
  EXPECT_EQ(response.status, 500);
  EXPECT_EQ(problemCode(response.body), 1500);
  EXPECT_EQ(response.body.find("canary"), std::string::npos);
  EXPECT_EQ(client.get(server.url() + "/healthz").status, 200);
  EXPECT_EQ(server.stop(), 0);
  const std::string log = server.stderrText();
  EXPECT_NE(log.find("handler_exception"), std::string::npos);
  EXPECT_EQ(log.find("canary"), std::string::npos);
}

TEST(ServerHttpTest, AccessLogHasRoutePatternAndNoSecrets) {
  ServerProcess::Options options;
  options.binary = testRoutesBinary();
  ServerProcess server(options);
  HttpClient client;
  const HttpResponse response =
      client.get(server.url() + "/test/teams/team-secret-id/visits/v1?token=query-canary",
                 {{"Authorization", "Bearer auth-canary"}, {"Cookie", "s=cookie-canary"}});
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(server.stop(), 0);

  const std::string log = server.stderrText();
  std::smatch line;
  ASSERT_TRUE(std::regex_search(
      log, line,
      std::regex(
          R"(\{"ts":"[0-9T:.Z-]+","method":"GET","route":"/test/teams/\{teamId\}/visits/\{visitId\}","status":200,"bytes_in":[1-9][0-9]*,"bytes_out":[1-9][0-9]*,"ms":[0-9.]+,"principal":"device-test-1"\})")))
      << log;
  for (const char* secret : {"query-canary", "auth-canary", "cookie-canary", "team-secret-id"}) {
    EXPECT_EQ(log.find(secret), std::string::npos) << secret;
  }
}

TEST(ServerHttpTest, SigtermFinishesRequestInFlightThenExitsZero) {
  ServerProcess::Options options;
  options.binary = testRoutesBinary();
  ServerProcess server(options);

  RawConnection idle(server.port());  // a keep-alive connection with nothing in flight
  ASSERT_TRUE(idle.send("GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n"));
  ASSERT_EQ(statusLineOf(idle.readResponse(5s)), "HTTP/1.1 200 OK");

  auto slow = std::async(std::launch::async, [&server] {
    HttpClient client;
    return client.get(server.url() + "/test/sleep/1500");
  });
  std::this_thread::sleep_for(400ms);  // the handler is now blocking a worker thread
  const auto signalled = Clock::now();
  server.sendSignal(SIGTERM);

  int connectError = 0;
  while (elapsedSeconds(signalled) < 1.0) {
    connectError = RawConnection::connectError(server.port());
    if (connectError == ECONNREFUSED) break;
    std::this_thread::sleep_for(20ms);
  }
  EXPECT_EQ(connectError, ECONNREFUSED) << "new connections still accepted while stopping";

  idle.readUntilClosed(2s);
  EXPECT_TRUE(idle.closedByPeer()) << "idle keep-alive connection not closed on stop";

  const HttpResponse response = slow.get();
  EXPECT_EQ(response.status, 200) << response.error;
  EXPECT_EQ(response.body, R"({"slept_ms":1500})");
  EXPECT_EQ(response.header("Connection").value_or(""), "close");

  const std::optional<int> exitCode = server.waitForExit(10s);
  ASSERT_TRUE(exitCode.has_value());
  EXPECT_EQ(*exitCode, 0) << server.stderrText();
  EXPECT_LT(elapsedSeconds(signalled), 5.0);
}

TEST(ServerHttpTest, TlsServesHealthzAndRefusesPlainHttp) {
  TempDir dir;
  const std::string key = (dir / "key.pem").string();
  const std::string cert = (dir / "cert.pem").string();
  const std::string command =
      "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2"
      " -subj /CN=localhost -addext subjectAltName=IP:127.0.0.1,DNS:localhost -keyout '" +
      key + "' -out '" + cert + "' >/dev/null 2>&1";
  ASSERT_EQ(std::system(command.c_str()), 0) << "openssl CLI failed";

  ServerProcess::Options options;
  options.args = {"--tls-cert", cert, "--tls-key", key};
  ServerProcess server(options);
  EXPECT_EQ(server.url().rfind("https://127.0.0.1:", 0), 0u) << server.url();

  HttpClientOptions trusting;
  trusting.caFile = cert;
  HttpClient client(trusting);
  const HttpResponse response = client.get(server.url() + "/healthz");
  EXPECT_EQ(response.status, 200) << response.error;
  EXPECT_EQ(response.body, R"({"status":"ok"})");

  HttpClient untrusting;  // the system store does not know the self-signed certificate
  EXPECT_EQ(untrusting.get(server.url() + "/healthz").status, 0);

  HttpClient plain;
  const HttpResponse plainResponse =
      plain.get("http://127.0.0.1:" + std::to_string(server.port()) + "/healthz");
  EXPECT_EQ(plainResponse.status, 0) << plainResponse.body;

  EXPECT_EQ(client.get(server.url() + "/healthz").status, 200);
  EXPECT_EQ(server.stop(), 0);
}

TEST(ServerHttpTest, PlainHttpOnNonLoopbackAddressIsRefused) {
  TempDir dir;
  const ExitResult result = ServerProcess::runToExit(
      {"serve", "--listen", "0.0.0.0:0", "--data", (dir / "data").string()});
  EXPECT_EQ(result.exitCode, 2);
  EXPECT_NE(result.stderrText.find("refusing plain HTTP"), std::string::npos) << result.stderrText;
  EXPECT_NE(result.stderrText.find("--insecure-http"), std::string::npos);
  EXPECT_EQ(result.stdoutText, "");
}

// An administrator who mistypes a path or swaps a file learns which file and why, before any
// connection is accepted.
TEST(ServerHttpTest, TlsFilesThatCannotBeUsedAreRefusedSayingWhy) {
  TempDir dir;
  const std::string data = (dir / "data").string();
  const std::string key = (dir / "key.pem").string();
  const std::string cert = (dir / "cert.pem").string();
  const std::string otherKey = (dir / "other.pem").string();
  const std::string command =
      "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2"
      " -subj /CN=localhost -keyout '" + key + "' -out '" + cert +
      "' >/dev/null 2>&1 && openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out '" +
      otherKey + "' >/dev/null 2>&1";
  ASSERT_EQ(std::system(command.c_str()), 0) << "openssl CLI failed";
  const std::string garbage = writeFile(dir / "garbage.pem", "not a certificate\n").string();
  const auto serve = [&](const std::string& certFile, const std::string& keyFile) {
    return ServerProcess::runToExit({"serve", "--listen", "127.0.0.1:0", "--data", data,
                                     "--tls-cert", certFile, "--tls-key", keyFile});
  };
  const auto expectRefused = [](const ExitResult& result, const std::string& file,
                                const std::string& why) {
    EXPECT_EQ(result.exitCode, 2) << result.stderrText;
    EXPECT_NE(result.stderrText.find(file), std::string::npos) << result.stderrText;
    EXPECT_NE(result.stderrText.find(why), std::string::npos) << result.stderrText;
    EXPECT_EQ(result.stderrText.find("listening"), std::string::npos);
  };

  const std::string missing = (dir / "missing.pem").string();
  expectRefused(serve(missing, key), "certificate " + missing, "No such file or directory");
  expectRefused(serve(cert, missing), "private key " + missing, "No such file or directory");
  expectRefused(serve(garbage, key), "certificate " + garbage, "no PEM certificate chain");
  expectRefused(serve(cert, garbage), "private key " + garbage, "no unencrypted PEM private key");
  expectRefused(serve(cert, otherKey), "private key " + otherKey, "does not match the certificate");
}

TEST(ServerHttpTest, BadConfigFileIsRefusedNamingTheLine) {
  TempDir dir;
  const std::string data = (dir / "data").string();
  const auto unknownKey =
      writeFile(dir / "unknown.conf", "# settings\nheader_timeout_s = 5\nbogus_key = 1\n");
  ExitResult result = ServerProcess::runToExit(
      {"serve", "--listen", "127.0.0.1:0", "--data", data, "--config", unknownKey.string()});
  EXPECT_EQ(result.exitCode, 2);
  EXPECT_NE(result.stderrText.find("unknown.conf:3:"), std::string::npos) << result.stderrText;
  EXPECT_NE(result.stderrText.find("bogus_key"), std::string::npos);

  const auto badValue = writeFile(dir / "bad.conf", "max_body_bytes = lots\n");
  result = ServerProcess::runToExit(
      {"serve", "--listen", "127.0.0.1:0", "--data", data, "--config", badValue.string()});
  EXPECT_EQ(result.exitCode, 2);
  EXPECT_NE(result.stderrText.find("bad.conf:1:"), std::string::npos) << result.stderrText;
  EXPECT_NE(result.stderrText.find("max_body_bytes"), std::string::npos);
}

TEST(ServerHttpTest, DataFolderIsCreatedPrivateAndOpenOneIsRefused) {
  {
    ServerProcess server;
    struct stat info {};
    ASSERT_EQ(::stat(server.dataDir().c_str(), &info), 0);
    EXPECT_EQ(info.st_mode & 0777, 0700u);
  }
  TempDir dir;
  const std::filesystem::path open = dir / "open";
  std::filesystem::create_directory(open);
  ASSERT_EQ(::chmod(open.c_str(), 0755), 0);
  const ExitResult result =
      ServerProcess::runToExit({"serve", "--listen", "127.0.0.1:0", "--data", open.string()});
  EXPECT_EQ(result.exitCode, 2);
  EXPECT_NE(result.stderrText.find("mode 0755"), std::string::npos) << result.stderrText;
  EXPECT_NE(result.stderrText.find("chmod 700"), std::string::npos);
}

TEST(ServerHttpTest, SecondServerOnSameDataFolderIsRefused) {
  ServerProcess first;
  const ExitResult second = ServerProcess::runToExit(
      {"serve", "--listen", "127.0.0.1:0", "--data", first.dataDir().string()});
  EXPECT_EQ(second.exitCode, 2);
  EXPECT_NE(second.stderrText.find("in use by another opcat-server (pid " +
                                   std::to_string(first.pid()) + ")"),
            std::string::npos)
      << second.stderrText;
  HttpClient client;
  EXPECT_EQ(client.get(first.url() + "/healthz").status, 200);
  // The lock dies with its holder: a restart after a crash takes the folder again.
  first.kill9();
  first.restart();
  EXPECT_EQ(client.get(first.url() + "/healthz").status, 200);
}

TEST(ServerHttpTest, HelpAndUsage) {
  ExitResult result = ServerProcess::runToExit({"--help"});
  EXPECT_EQ(result.exitCode, 0);
  EXPECT_NE(result.stdoutText.find("serve"), std::string::npos);

  result = ServerProcess::runToExit({"serve", "--help"});
  EXPECT_EQ(result.exitCode, 0);
  EXPECT_NE(result.stdoutText.find("--listen HOST:PORT"), std::string::npos);

  result = ServerProcess::runToExit({"serve", "--bogus"});
  EXPECT_EQ(result.exitCode, 2);
  EXPECT_NE(result.stderrText.find("usage: opcat-server serve"), std::string::npos);

  result = ServerProcess::runToExit({});
  EXPECT_EQ(result.exitCode, 2);

  result = ServerProcess::runToExit({"serve", "--listen"});
  EXPECT_EQ(result.exitCode, 2);
  EXPECT_NE(result.stderrText.find("needs a value"), std::string::npos);

  // `admin` is covered by admin_cli_test; without a command it prints its usage.
  result = ServerProcess::runToExit({"admin"});
  EXPECT_EQ(result.exitCode, 2);
  EXPECT_NE(result.stderrText.find("usage: opcat-server admin COMMAND"), std::string::npos);
}

}  // namespace
}  // namespace opcat::testing
