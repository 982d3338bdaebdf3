// CurlTransport's refusals that happen before any connection: they need no server. (The
// behaviour on the wire is tested against the real server in
// tests/integration/curl_transport_test.cpp.)
#include <gtest/gtest.h>

#include <chrono>

#include "net/curl_transport.h"
#include "net/net_error.h"

namespace opcat::net {
namespace {

using Clock = std::chrono::steady_clock;

std::optional<NetError> errorOf(CurlTransport& transport, const std::string& url,
                                const std::string& method = "GET", HttpHeaders headers = {}) {
  HttpRequest request;
  request.method = method;
  request.url = url;
  request.headers = std::move(headers);
  const Result<HttpReply> reply = transport.send(request);
  if (reply.isOk()) return std::nullopt;
  return netErrorOf(reply.status());
}

TEST(CurlTransportRefusalTest, PlainHttpToRemoteHostIsRefusedAtOnce) {
  CurlTransport transport;
  // 192.0.2.0/24 is reserved for documentation: a real connection attempt would hang until
  // the connect timeout, a DNS lookup of .invalid would fail with kConnect.
  const auto start = Clock::now();
  for (const char* url :
       {"http://192.0.2.1/healthz", "http://192.0.2.1:8080/v1/sync?token=secret-token",
        "http://sync.example.invalid/", "http://localhost@192.0.2.1/", "http://127.0.0.1.invalid/",
        "http://localhost.invalid/", "HTTP://192.0.2.1/", "http://[::ffff:127.0.0.1]/"}) {
    HttpRequest request;
    request.url = url;
    const Result<HttpReply> reply = transport.send(request);
    ASSERT_FALSE(reply.isOk()) << url;
    EXPECT_EQ(netErrorOf(reply.status()), NetError::kTls)
        << url << ": " << reply.status().message();
    EXPECT_EQ(reply.status().code(), StatusCode::kInvalidArgument) << url;
    EXPECT_EQ(reply.status().message().find("secret-token"), std::string::npos);
  }
  EXPECT_LT(Clock::now() - start, std::chrono::milliseconds(500));
}

TEST(CurlTransportRefusalTest, PlainHttpToLoopbackIsRefusedWhenNotAllowed) {
  CurlOptions options;
  options.allowPlainHttpOnLoopback = false;
  CurlTransport transport(options);
  EXPECT_EQ(errorOf(transport, "http://127.0.0.1:9/"), NetError::kTls);
  EXPECT_EQ(errorOf(transport, "http://localhost:9/"), NetError::kTls);
  EXPECT_EQ(errorOf(transport, "http://[::1]:9/"), NetError::kTls);
}

TEST(CurlTransportRefusalTest, OtherSchemesAndBadUrlsAreProtocolErrors) {
  CurlTransport transport;
  EXPECT_EQ(errorOf(transport, "ftp://127.0.0.1/file"), NetError::kProtocol);
  EXPECT_EQ(errorOf(transport, "file:///etc/passwd"), NetError::kProtocol);
  EXPECT_EQ(errorOf(transport, "not a url"), NetError::kProtocol);
  EXPECT_EQ(errorOf(transport, ""), NetError::kProtocol);
  EXPECT_EQ(errorOf(transport, "//127.0.0.1/healthz"), NetError::kProtocol);
}

TEST(CurlTransportRefusalTest, BadMethodsAndHeadersAreRefused) {
  CurlTransport transport;
  EXPECT_EQ(errorOf(transport, "https://192.0.2.1/", "get"), NetError::kProtocol);
  EXPECT_EQ(errorOf(transport, "https://192.0.2.1/", "GET / HTTP/1.1\r\nX:"), NetError::kProtocol);
  EXPECT_EQ(errorOf(transport, "https://192.0.2.1/", "GET", {{"X-Token", "a\r\nHost: evil"}}),
            NetError::kProtocol);
  EXPECT_EQ(errorOf(transport, "https://192.0.2.1/", "GET", {{"Bad Name", "v"}}),
            NetError::kProtocol);
}

TEST(CurlTransportRefusalTest, InvalidPinsFailEverySendBeforeConnecting) {
  CurlOptions options;
  options.pins = {"sha256//not-a-hash"};
  CurlTransport transport(options);
  for (int i = 0; i < 2; ++i) {
    HttpRequest request;
    request.url = "https://192.0.2.1/";
    const Result<HttpReply> reply = transport.send(request);
    ASSERT_FALSE(reply.isOk());
    EXPECT_EQ(netErrorOf(reply.status()), NetError::kTls);
    EXPECT_EQ(reply.status().code(), StatusCode::kInvalidArgument);
  }
}

TEST(CurlTransportRefusalTest, CancelWithNothingInFlightIsHarmless) {
  CurlTransport transport;
  transport.cancel();
  transport.cancel();
  EXPECT_EQ(errorOf(transport, "ftp://127.0.0.1/"), NetError::kProtocol);
}

}  // namespace
}  // namespace opcat::net
