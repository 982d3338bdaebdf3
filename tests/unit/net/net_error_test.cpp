#include "net/net_error.h"

#include <gtest/gtest.h>

#include <sstream>

#include "net/http_transport.h"

namespace opcat::net {
namespace {

constexpr NetError kAll[] = {NetError::kConnect, NetError::kTls,       NetError::kPinMismatch,
                             NetError::kTimeout, NetError::kCancelled, NetError::kTooLarge,
                             NetError::kProtocol};

TEST(NetErrorTest, EveryCategoryRoundTripsThroughAStatus) {
  for (NetError error : kAll) {
    const Status status = netError(error, "detail with: colons");
    EXPECT_FALSE(status.isOk());
    EXPECT_EQ(status.code(), StatusCode::kUnavailable);
    EXPECT_EQ(netErrorOf(status), error) << status.message();
    EXPECT_EQ(status.message(),
              std::string("net/") + netErrorName(error) + ": detail with: colons");
  }
}

TEST(NetErrorTest, CategoryNamesAreStableAndDistinct) {
  EXPECT_STREQ(netErrorName(NetError::kConnect), "connect");
  EXPECT_STREQ(netErrorName(NetError::kTls), "tls");
  EXPECT_STREQ(netErrorName(NetError::kPinMismatch), "pin_mismatch");
  EXPECT_STREQ(netErrorName(NetError::kTimeout), "timeout");
  EXPECT_STREQ(netErrorName(NetError::kCancelled), "cancelled");
  EXPECT_STREQ(netErrorName(NetError::kTooLarge), "too_large");
  EXPECT_STREQ(netErrorName(NetError::kProtocol), "protocol");
}

TEST(NetErrorTest, PrintsItsName) {
  std::ostringstream out;
  out << NetError::kPinMismatch;
  EXPECT_EQ(out.str(), "pin_mismatch");
}

TEST(NetErrorTest, CodeCanBeChosen) {
  const Status status = netError(NetError::kProtocol, "bad method", StatusCode::kInvalidArgument);
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(netErrorOf(status), NetError::kProtocol);
  EXPECT_EQ(status.toString(), "invalid_argument: net/protocol: bad method");
}

TEST(NetErrorTest, OtherStatusesHaveNoCategory) {
  EXPECT_EQ(netErrorOf(Status::ok()), std::nullopt);
  EXPECT_EQ(netErrorOf(Status::error(StatusCode::kIoError, "disk full")), std::nullopt);
  EXPECT_EQ(netErrorOf(Status::error(StatusCode::kUnavailable, "net/tlsx: no")), std::nullopt);
  EXPECT_EQ(netErrorOf(Status::error(StatusCode::kUnavailable, "net/tls")), std::nullopt);
  EXPECT_EQ(netErrorOf(Status::error(StatusCode::kUnavailable, "the net/tls: later")),
            std::nullopt);
}

TEST(NetErrorTest, OnlyConnectAndTimeoutAreRetryable) {
  EXPECT_TRUE(isRetryable(NetError::kConnect));
  EXPECT_TRUE(isRetryable(NetError::kTimeout));
  EXPECT_FALSE(isRetryable(NetError::kTls));
  EXPECT_FALSE(isRetryable(NetError::kPinMismatch));
  EXPECT_FALSE(isRetryable(NetError::kCancelled));
  EXPECT_FALSE(isRetryable(NetError::kTooLarge));
  EXPECT_FALSE(isRetryable(NetError::kProtocol));
}

TEST(HttpReplyTest, HeaderLookupIgnoresCaseAndTakesTheFirst) {
  HttpReply reply;
  reply.headers = {{"Content-Type", "application/json"}, {"X-A", "1"}, {"x-a", "2"}};
  EXPECT_EQ(reply.header("content-type"), "application/json");
  EXPECT_EQ(reply.header("X-a"), "1");
  EXPECT_EQ(reply.header("Missing"), std::nullopt);
}

}  // namespace
}  // namespace opcat::net
