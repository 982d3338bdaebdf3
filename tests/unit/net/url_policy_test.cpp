#include "net/url_policy.h"

#include <gtest/gtest.h>

#include "net/net_error.h"

namespace opcat::net {
namespace {

TEST(UrlPolicyTest, LoopbackHosts) {
  for (const char* host : {"localhost", "LocalHost", "127.0.0.1", "127.1.2.3", "127.255.255.255",
                           "[::1]", "::1", "[0:0:0:0:0:0:0:1]"}) {
    EXPECT_TRUE(isLoopbackHost(host)) << host;
  }
}

TEST(UrlPolicyTest, EverythingElseIsNotLoopback) {
  for (const char* host :
       {"", "localhost.", "localhost.example", "127.0.0.1.example", "example.org", "128.0.0.1",
        "126.255.255.255", "10.0.0.1", "0.0.0.0", "192.0.2.1", "127.1", "0x7f.0.0.1",
        "[::ffff:127.0.0.1]", "[::]", "[::2]", "[fe80::1]", "[::1", "evil.localhost"}) {
    EXPECT_FALSE(isLoopbackHost(host)) << host;
  }
}

TEST(UrlPolicyTest, HttpsIsAlwaysAllowed) {
  EXPECT_TRUE(checkSchemeAndHost("https", "sync.example.org", false).isOk());
  EXPECT_TRUE(checkSchemeAndHost("HTTPS", "127.0.0.1", false).isOk());
}

TEST(UrlPolicyTest, PlainHttpOnlyToLoopbackAndOnlyWhenAllowed) {
  EXPECT_TRUE(checkSchemeAndHost("http", "127.0.0.1", true).isOk());
  EXPECT_TRUE(checkSchemeAndHost("http", "[::1]", true).isOk());
  EXPECT_TRUE(checkSchemeAndHost("http", "localhost", true).isOk());

  const Status remote = checkSchemeAndHost("http", "sync.example.org", true);
  EXPECT_EQ(netErrorOf(remote), NetError::kTls);
  EXPECT_EQ(remote.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(remote.message().find("TLS is required"), std::string::npos) << remote.message();

  EXPECT_EQ(netErrorOf(checkSchemeAndHost("http", "127.0.0.1", false)), NetError::kTls);
}

TEST(UrlPolicyTest, OtherSchemesAreRefused) {
  for (const char* scheme : {"ftp", "file", "ws", "gopher", ""}) {
    const Status status = checkSchemeAndHost(scheme, "127.0.0.1", true);
    EXPECT_EQ(netErrorOf(status), NetError::kProtocol) << scheme;
  }
}

}  // namespace
}  // namespace opcat::net
