// The console's session settings of `opcat-server serve`: defaults, accepted ranges, and the
// config file.
#include "service/server_config.h"

#include <gtest/gtest.h>

#include "service/command_line.h"

namespace opcat::server {
namespace {

using std::chrono::seconds;

TEST(ServerConfigTest, ConsoleSessionsDefaultToEightHoursAndFifteenIdleMinutes) {
  const ServerConfig config;
  EXPECT_EQ(config.consoleSessionTtl, seconds(8 * 3600));
  EXPECT_EQ(config.consoleIdleTimeout, seconds(15 * 60));
}

TEST(ServerConfigTest, IdleTimeoutIsSetFromOneSecondToADay) {
  ServerConfig config;
  ASSERT_TRUE(setConfigValue(config, "console_idle_timeout_s", "1").isOk());
  EXPECT_EQ(config.consoleIdleTimeout, seconds(1));
  ASSERT_TRUE(setConfigValue(config, "console_idle_timeout_s", "86400").isOk());
  EXPECT_EQ(config.consoleIdleTimeout, seconds(86400));
  for (const char* bad : {"0", "86401", "-5", "15m", ""}) {
    const Status status = setConfigValue(config, "console_idle_timeout_s", bad);
    EXPECT_EQ(status.code(), StatusCode::kInvalidArgument) << bad;
    EXPECT_NE(status.message().find("console_idle_timeout_s"), std::string::npos);
  }
  EXPECT_EQ(config.consoleIdleTimeout, seconds(86400));
}

TEST(ServerConfigTest, IdleTimeoutComesFromTheConfigFileAndIsInTheHelp) {
  ServerConfig config;
  ASSERT_TRUE(
      applyConfigText(config, "console_session_ttl_s = 3600\nconsole_idle_timeout_s = 300\n", "f")
          .isOk());
  EXPECT_EQ(config.consoleSessionTtl, seconds(3600));
  EXPECT_EQ(config.consoleIdleTimeout, seconds(300));
  EXPECT_NE(serveUsageText().find("console_idle_timeout_s"), std::string::npos);
}

TEST(ServerConfigTest, AMetricsTokenIsGivenAsItsDigestInHex) {
  ServerConfig config;
  EXPECT_TRUE(config.metricsTokenSha256.empty()) << "no token by default: loopback only";
  const std::string upper(64, 'A');
  ASSERT_TRUE(setConfigValue(config, "metrics_token_sha256", upper).isOk());
  EXPECT_EQ(config.metricsTokenSha256, std::string(64, 'a')) << "kept lowercase, as hashes are";
  for (const std::string& bad : {std::string("scrape-token"), std::string(63, 'a'),
                                 std::string(65, 'a'), std::string(63, 'a') + "g"}) {
    const Status status = setConfigValue(config, "metrics_token_sha256", bad);
    EXPECT_EQ(status.code(), StatusCode::kInvalidArgument) << bad;
    EXPECT_NE(status.message().find("64 hex digits"), std::string::npos);
  }
  EXPECT_EQ(config.metricsTokenSha256, std::string(64, 'a'));
  EXPECT_NE(serveUsageText().find("metrics_token_sha256"), std::string::npos);
}

}  // namespace
}  // namespace opcat::server
