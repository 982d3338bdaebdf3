#include "net/curl_checks.h"

#include <gtest/gtest.h>

#include "net/curl_transport.h"
#include "net/net_error.h"

namespace opcat::net {
namespace {

const std::string kPinA = "sha256//" + std::string(43, 'A') + "=";
const std::string kPinB = "sha256//n4bQgYhMfWWaL+qgxVrQFaO/TxsrC4Is0V1sFbDwCgg=";

TransferFailure failure(CURLcode code, std::string detail = {}) {
  TransferFailure result;
  result.code = code;
  result.detail = std::move(detail);
  result.origin = "https://sync.example.org:443";
  result.pinCount = 2;
  result.maxResponseBytes = 1000;
  return result;
}

std::optional<NetError> categoryOf(const TransferFailure& f) {
  return netErrorOf(failureStatus(f));
}

TEST(CurlChecksTest, PinFormat) {
  EXPECT_TRUE(checkPin(kPinA).isOk());
  EXPECT_TRUE(checkPin(kPinB).isOk());
  for (const std::string& bad :
       {std::string(), std::string("sha256//"), "sha1//" + std::string(43, 'A') + "=",
        "SHA256//" + std::string(43, 'A') + "=", "sha256//" + std::string(44, 'A'),
        "sha256//" + std::string(42, 'A') + "==", "sha256//" + std::string(42, 'A') + ";=",
        "sha256//" + std::string(43, 'A') + "= ", kPinA + ";" + kPinB}) {
    const Status status = checkPin(bad);
    EXPECT_EQ(netErrorOf(status), NetError::kTls) << bad;
    EXPECT_EQ(status.code(), StatusCode::kInvalidArgument) << bad;
  }
}

TEST(CurlChecksTest, PinsAreJoinedWithSemicolons) {
  EXPECT_EQ(joinPins({}), "");
  EXPECT_EQ(joinPins({kPinA}), kPinA);
  EXPECT_EQ(joinPins({kPinA, kPinB}), kPinA + ";" + kPinB);
}

TEST(CurlChecksTest, Methods) {
  for (const char* ok : {"GET", "POST", "PUT", "DELETE", "HEAD", "PATCH", "OPTIONS"}) {
    EXPECT_TRUE(checkMethod(ok).isOk()) << ok;
  }
  for (const char* bad : {"", "get", "GET /x HTTP/1.1", "PO\rST", "G-T", "AAAAAAAAAAAAAAAAAAAAA"}) {
    EXPECT_EQ(netErrorOf(checkMethod(bad)), NetError::kProtocol) << bad;
  }
}

TEST(CurlChecksTest, HeadersRefuseInjectionWithoutQuotingTheValue) {
  EXPECT_TRUE(checkHeader("Authorization", "Bearer abc").isOk());
  EXPECT_TRUE(checkHeader("X-Empty", "").isOk());
  EXPECT_EQ(netErrorOf(checkHeader("", "v")), NetError::kProtocol);
  EXPECT_EQ(netErrorOf(checkHeader("Bad Name", "v")), NetError::kProtocol);
  EXPECT_EQ(netErrorOf(checkHeader("X:Y", "v")), NetError::kProtocol);
  for (const std::string& value : {std::string("secret-token\r\nEvil: 1"),
                                   std::string("secret-token\n"), std::string("secret\0x", 8)}) {
    const Status status = checkHeader("Authorization", value);
    EXPECT_EQ(netErrorOf(status), NetError::kProtocol);
    EXPECT_EQ(status.message().find("secret"), std::string::npos) << status.message();
  }
  EXPECT_TRUE(headerNameIs("Content-Type", "content-type"));
  EXPECT_FALSE(headerNameIs("Content-Types", "content-type"));
}

TEST(CurlChecksTest, OptionsValidation) {
  EXPECT_TRUE(validateCurlOptions(CurlOptions{}).isOk());
  CurlOptions pinned;
  pinned.pins = {kPinA, kPinB};
  EXPECT_TRUE(validateCurlOptions(pinned).isOk());
  pinned.pins.push_back("sha256//short=");
  EXPECT_EQ(netErrorOf(validateCurlOptions(pinned)), NetError::kTls);

  CurlOptions zeroConnect;
  zeroConnect.connectTimeout = std::chrono::milliseconds(0);
  EXPECT_FALSE(validateCurlOptions(zeroConnect).isOk());
  CurlOptions zeroMax;
  zeroMax.maxResponseBytes = 0;
  EXPECT_FALSE(validateCurlOptions(zeroMax).isOk());
  CurlOptions badLowSpeed;
  badLowSpeed.lowSpeedTime = std::chrono::seconds(0);
  EXPECT_FALSE(validateCurlOptions(badLowSpeed).isOk());
  badLowSpeed.lowSpeedBytesPerSecond = 0;  // disabled: the time does not matter
  EXPECT_TRUE(validateCurlOptions(badLowSpeed).isOk());
}

TEST(CurlChecksTest, CurlCodesMapToCategories) {
  EXPECT_EQ(categoryOf(failure(CURLE_SSL_PINNEDPUBKEYNOTMATCH)), NetError::kPinMismatch);
  EXPECT_EQ(categoryOf(failure(CURLE_PEER_FAILED_VERIFICATION)), NetError::kTls);
  EXPECT_EQ(categoryOf(failure(CURLE_SSL_CACERT_BADFILE)), NetError::kTls);
  EXPECT_EQ(categoryOf(failure(CURLE_SSL_CONNECT_ERROR,
                               "OpenSSL/3.0: error:0A00042E:SSL routines::tlsv1 alert protocol "
                               "version")),
            NetError::kTls);
  EXPECT_EQ(categoryOf(failure(CURLE_COULDNT_CONNECT)), NetError::kConnect);
  EXPECT_EQ(categoryOf(failure(CURLE_COULDNT_RESOLVE_HOST)), NetError::kConnect);
  EXPECT_EQ(categoryOf(failure(CURLE_RECV_ERROR)), NetError::kConnect);
  EXPECT_EQ(categoryOf(failure(CURLE_GOT_NOTHING)), NetError::kConnect);
  EXPECT_EQ(categoryOf(failure(CURLE_OPERATION_TIMEDOUT)), NetError::kTimeout);
  EXPECT_EQ(categoryOf(failure(CURLE_FILESIZE_EXCEEDED)), NetError::kTooLarge);
  EXPECT_EQ(categoryOf(failure(CURLE_WEIRD_SERVER_REPLY)), NetError::kProtocol);
  EXPECT_EQ(categoryOf(failure(CURLE_BAD_CONTENT_ENCODING)), NetError::kProtocol);
  EXPECT_EQ(categoryOf(failure(CURLE_ABORTED_BY_CALLBACK)), NetError::kCancelled);
}

TEST(CurlChecksTest, HandshakeBrokenByTheNetworkIsRetryableNotATlsVerdict) {
  for (const char* detail :
       {"OpenSSL SSL_connect: Connection reset by peer in connection to h:443",
        "OpenSSL SSL_connect: SSL_ERROR_SYSCALL in connection to h:443",
        "OpenSSL/3.0.22: error:0A000126:SSL routines::unexpected eof while reading"}) {
    EXPECT_EQ(categoryOf(failure(CURLE_SSL_CONNECT_ERROR, detail)), NetError::kConnect) << detail;
  }
}

TEST(CurlChecksTest, CallbackFlagsWinOverTheCurlCode) {
  TransferFailure cancelled = failure(CURLE_OPERATION_TIMEDOUT);
  cancelled.cancelled = true;
  EXPECT_EQ(categoryOf(cancelled), NetError::kCancelled);
  TransferFailure tooLarge = failure(CURLE_WRITE_ERROR);
  tooLarge.tooLarge = true;
  EXPECT_EQ(categoryOf(tooLarge), NetError::kTooLarge);
  EXPECT_EQ(categoryOf(failure(CURLE_WRITE_ERROR)), NetError::kProtocol);
}

TEST(CurlChecksTest, MessageNamesOriginAndReasonButNeverPathOrQuery) {
  TransferFailure f = failure(CURLE_SSL_PINNEDPUBKEYNOTMATCH,
                              "SSL: public key does not match pinned public key for "
                              "/v1/visits/secret-visit?token=secret-token");
  f.path = "/v1/visits/secret-visit";
  f.query = "token=secret-token";
  const Status status = failureStatus(f);
  EXPECT_EQ(status.code(), StatusCode::kUnavailable);
  const std::string& message = status.message();
  EXPECT_EQ(message.rfind("net/pin_mismatch: ", 0), 0u) << message;
  EXPECT_NE(message.find("https://sync.example.org:443"), std::string::npos) << message;
  EXPECT_NE(message.find("none of the 2 pinned keys"), std::string::npos) << message;
  EXPECT_NE(message.find("does not match pinned public key"), std::string::npos) << message;
  EXPECT_EQ(message.find("secret"), std::string::npos) << message;
}

TEST(CurlChecksTest, EmptyDetailFallsBackToCurlsDescription) {
  const Status status = failureStatus(failure(CURLE_COULDNT_CONNECT));
  EXPECT_NE(status.message().find(curl_easy_strerror(CURLE_COULDNT_CONNECT)), std::string::npos)
      << status.message();
}

}  // namespace
}  // namespace opcat::net
