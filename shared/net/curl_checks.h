// Internal to opcat_net: the checks CurlTransport makes before it connects, and the mapping of
// a failed libcurl transfer to a NetError with a message fit for logs. Apart from the
// transport so that both are unit-tested without a network.
#pragma once

#include <curl/curl.h>

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace opcat::net {

// Ok for an upper-case token of 1 to 20 letters ("GET", "POST", "PROPFIND"); otherwise a
// netError(kProtocol, kInvalidArgument).
Status checkMethod(std::string_view method);
// Ok when `name` is a token (RFC 9110) and `value` holds no CR, LF or NUL; the message never
// quotes the value (it may be a credential).
Status checkHeader(std::string_view name, std::string_view value);
// Case-insensitive comparison of a header name with a lower-case name.
bool headerNameIs(std::string_view name, std::string_view lowerName);
// Ok for "sha256//" followed by the base64 of 32 bytes (44 characters, one '=' of padding).
Status checkPin(std::string_view pin);
// The pins joined with ';', CURLOPT_PINNEDPUBLICKEY's form for "any one of these".
std::string joinPins(const std::vector<std::string>& pins);

// What is known about a failed transfer.
struct TransferFailure {
  CURLcode code = CURLE_OK;
  bool cancelled = false;    // cancel() asked for it
  bool tooLarge = false;     // a size limit in the callbacks stopped it
  bool outOfMemory = false;  // a callback could not allocate
  std::string detail;        // libcurl's error buffer (may be empty)
  std::string origin;        // "https://host:port"
  std::string path;          // the URL's path and query: scrubbed from `detail`
  std::string query;
  std::size_t pinCount = 0;
  std::size_t maxResponseBytes = 0;
};

// The netError for `failure`: category from the flags and libcurl's code, message
// "<what happened> (<origin>): <libcurl's reason>" without path or query.
Status failureStatus(const TransferFailure& failure);

}  // namespace opcat::net
