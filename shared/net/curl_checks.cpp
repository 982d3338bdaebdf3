#include "net/curl_checks.h"

#include <algorithm>
#include <array>

#include "core/ascii.h"
#include "net/curl_transport.h"
#include "net/net_error.h"

namespace opcat::net {
namespace {

constexpr std::string_view kPinPrefix = "sha256//";
constexpr std::size_t kPinBase64Length = 44;  // base64 of 32 bytes, with one '='

bool isAlpha(char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); }
bool isDigit(char c) { return c >= '0' && c <= '9'; }
bool isTokenChar(char c) {
  return isAlpha(c) || isDigit(c) ||
         std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}
bool isBase64Char(char c) { return isAlpha(c) || isDigit(c) || c == '+' || c == '/'; }

bool containsIgnoreCase(std::string_view text, std::string_view lowerNeedle) {
  if (lowerNeedle.size() > text.size()) return false;
  for (std::size_t at = 0; at + lowerNeedle.size() <= text.size(); ++at) {
    bool same = true;
    for (std::size_t i = 0; i < lowerNeedle.size() && same; ++i) {
      same = asciiLower(text[at + i]) == lowerNeedle[i];
    }
    if (same) return true;
  }
  return false;
}

Status invalid(NetError error, std::string message) {
  return netError(error, message, StatusCode::kInvalidArgument);
}

void replaceAll(std::string& text, std::string_view what, std::string_view with) {
  if (what.empty()) return;
  for (std::size_t at = text.find(what); at != std::string::npos;
       at = text.find(what, at + with.size())) {
    text.replace(at, what.size(), with);
  }
}

// A TLS handshake that failed because the link broke (reset, EOF, timeout) rather than
// because TLS refused the peer: libcurl reports both as CURLE_SSL_CONNECT_ERROR.
bool isBrokenLink(std::string_view detail) {
  constexpr std::array kSigns = {std::string_view("ssl_error_syscall"),
                                 std::string_view("unexpected eof"),
                                 std::string_view("connection reset"),
                                 std::string_view("broken pipe"), std::string_view("timed out")};
  return std::any_of(kSigns.begin(), kSigns.end(),
                     [detail](std::string_view sign) { return containsIgnoreCase(detail, sign); });
}

NetError categoryOf(const TransferFailure& failure) {
  if (failure.cancelled || failure.code == CURLE_ABORTED_BY_CALLBACK) return NetError::kCancelled;
  if (failure.tooLarge || failure.code == CURLE_FILESIZE_EXCEEDED) return NetError::kTooLarge;
  switch (failure.code) {
    case CURLE_COULDNT_RESOLVE_PROXY:
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_CONNECT:
    case CURLE_SEND_ERROR:
    case CURLE_RECV_ERROR:
    case CURLE_GOT_NOTHING:
    case CURLE_PARTIAL_FILE:
    case CURLE_PROXY:
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM:
    case CURLE_SSL_SHUTDOWN_FAILED:
      return NetError::kConnect;
    case CURLE_OPERATION_TIMEDOUT:
      return NetError::kTimeout;
    case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
      return NetError::kPinMismatch;
    case CURLE_SSL_CONNECT_ERROR:
      return isBrokenLink(failure.detail) ? NetError::kConnect : NetError::kTls;
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CIPHER:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_CRL_BADFILE:
    case CURLE_SSL_ISSUER_ERROR:
    case CURLE_SSL_INVALIDCERTSTATUS:
    case CURLE_SSL_ENGINE_NOTFOUND:
    case CURLE_SSL_ENGINE_SETFAILED:
    case CURLE_SSL_ENGINE_INITFAILED:
    case CURLE_SSL_CLIENTCERT:
    case CURLE_USE_SSL_FAILED:
      return NetError::kTls;
    default:
      return NetError::kProtocol;
  }
}

std::string summaryOf(NetError error, const TransferFailure& failure) {
  switch (error) {
    case NetError::kConnect:
      return "cannot reach the server";
    case NetError::kTls:
      return "TLS refused the server's certificate or connection";
    case NetError::kPinMismatch:
      return "the server's public key matches none of the " + std::to_string(failure.pinCount) +
             " pinned keys";
    case NetError::kTimeout:
      return "timed out";
    case NetError::kCancelled:
      return "cancelled";
    case NetError::kTooLarge:
      return "response larger than the limit of " + std::to_string(failure.maxResponseBytes) +
             " bytes (or its headers too large)";
    case NetError::kProtocol:
      return "invalid HTTP exchange";
  }
  return "failed";
}

}  // namespace

Status checkMethod(std::string_view method) {
  const bool valid =
      !method.empty() && method.size() <= 20 &&
      std::all_of(method.begin(), method.end(), [](char c) { return c >= 'A' && c <= 'Z'; });
  if (valid) return Status::ok();
  return invalid(NetError::kProtocol, "the HTTP method is not an upper-case token");
}

Status checkHeader(std::string_view name, std::string_view value) {
  if (name.empty() || !std::all_of(name.begin(), name.end(), isTokenChar)) {
    return invalid(NetError::kProtocol, "a request header name is not a token");
  }
  if (value.find_first_of(std::string_view("\r\n\0", 3)) != std::string_view::npos) {
    return invalid(NetError::kProtocol,
                   "request header " + std::string(name) + " has CR, LF or NUL in its value");
  }
  return Status::ok();
}

bool headerNameIs(std::string_view name, std::string_view lowerName) {
  return name.size() == lowerName.size() && containsIgnoreCase(name, lowerName);
}

Status checkPin(std::string_view pin) {
  const std::string_view hash = pin.substr(std::min(pin.size(), kPinPrefix.size()));
  const bool valid = pin.substr(0, kPinPrefix.size()) == kPinPrefix &&
                     hash.size() == kPinBase64Length && hash.back() == '=' &&
                     std::all_of(hash.begin(), hash.end() - 1, isBase64Char);
  if (valid) return Status::ok();
  return invalid(NetError::kTls,
                 "a pinned key is not \"sha256//\" followed by the base64 of a SHA-256 hash");
}

std::string joinPins(const std::vector<std::string>& pins) {
  std::string joined;
  for (const std::string& pin : pins) {
    if (!joined.empty()) joined += ';';
    joined += pin;
  }
  return joined;
}

Status validateCurlOptions(const CurlOptions& options) {
  for (const std::string& pin : options.pins) OPCAT_RETURN_IF_ERROR(checkPin(pin));
  if (options.connectTimeout.count() <= 0) {
    return invalid(NetError::kProtocol, "connectTimeout must be positive");
  }
  if (options.totalTimeout.count() < 0) {
    return invalid(NetError::kProtocol, "totalTimeout must not be negative");
  }
  if (options.lowSpeedBytesPerSecond < 0 ||
      (options.lowSpeedBytesPerSecond > 0 && options.lowSpeedTime.count() <= 0)) {
    return invalid(NetError::kProtocol,
                   "the low-speed limit needs bytes >= 0 and, when enabled, a positive time");
  }
  if (options.maxResponseBytes == 0 || options.maxHeaderBytes == 0) {
    return invalid(NetError::kProtocol, "maxResponseBytes and maxHeaderBytes must be positive");
  }
  return Status::ok();
}

Status failureStatus(const TransferFailure& failure) {
  const NetError error = categoryOf(failure);
  std::string detail =
      failure.detail.empty() ? std::string(curl_easy_strerror(failure.code)) : failure.detail;
  if (failure.outOfMemory) detail = "out of memory";
  // libcurl's reasons name hosts, not paths; make sure of it.
  if (failure.path.size() > 1) replaceAll(detail, failure.path, "<path>");
  replaceAll(detail, failure.query, "<query>");
  return netError(error, summaryOf(error, failure) + " (" + failure.origin + "): " + detail,
                  failure.outOfMemory ? StatusCode::kInternal : StatusCode::kUnavailable);
}

}  // namespace opcat::net
