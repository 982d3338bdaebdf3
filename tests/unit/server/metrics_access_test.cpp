// Who may read GET /metrics: loopback clients when no token digest is configured, and only the
// token's holder when one is.
#include "http/metrics_resource.h"

#include <gtest/gtest.h>

#include "service/device_auth.h"

namespace opcat::server::http {
namespace {

TEST(MetricsAccessTest, WithoutATokenOnlyLoopbackClientsMayScrape) {
  for (const char* loopback : {"127.0.0.1", "127.8.9.10", "::1", "::ffff:127.0.0.1"}) {
    EXPECT_FALSE(refuseScrape(loopback, "", "").has_value()) << loopback;
  }
  for (const char* remote : {"10.0.0.5", "192.168.1.20", "2001:db8::1", "::ffff:10.0.0.5", ""}) {
    const auto refusal = refuseScrape(remote, "Bearer anything", "");
    ASSERT_TRUE(refusal.has_value()) << remote;
    EXPECT_EQ(refusal->status, 403u);
    EXPECT_NE(refusal->body.find("metrics_token_sha256"), std::string::npos) << refusal->body;
  }
}

TEST(MetricsAccessTest, WithATokenEveryClientNeedsIt) {
  const std::string digest = secretHash("scrape-token-1");
  for (const char* address : {"127.0.0.1", "10.0.0.5"}) {
    EXPECT_FALSE(refuseScrape(address, "Bearer scrape-token-1", digest).has_value()) << address;
    for (const std::string& wrong :
         {std::string(), std::string("Bearer scrape-token-2"), std::string("Bearer "),
          std::string("bearer scrape-token-1"), std::string("Bearer ") + std::string(129, 'x')}) {
      const auto refusal = refuseScrape(address, wrong, digest);
      ASSERT_TRUE(refusal.has_value()) << address << " " << wrong;
      EXPECT_EQ(refusal->status, 401u);
    }
  }
}

}  // namespace
}  // namespace opcat::server::http
