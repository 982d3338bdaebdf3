// HttpTransport: the one HTTP exchange the sync engine needs (request in, reply out), behind
// an interface so the engine can be tested against the real server, or a fake, and stays
// independent of libcurl. CurlTransport (curl_transport.h) is the production implementation.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/status.h"
#include "net/net_error.h"

namespace opcat::net {

using HttpHeaders = std::vector<std::pair<std::string, std::string>>;

struct HttpRequest {
  std::string method = "GET";  // an upper-case token: GET, POST, PUT, DELETE, HEAD, ...
  std::string url;             // absolute http:// or https:// URL
  HttpHeaders headers;         // sent in order; names are tokens, values hold no CR, LF or NUL
  std::string body;            // sent when not empty, and always (maybe empty) for POST/PUT/PATCH
};

// A complete HTTP response of any status, 1xx interim responses and redirects not followed.
struct HttpReply {
  long status = 0;      // e.g. 200, 304, 413
  HttpHeaders headers;  // of this final response, in the order received
  std::string body;     // decoded (Content-Encoding removed)

  // The value of the first header called `name` (compared case-insensitively), or nullopt.
  std::optional<std::string> header(std::string_view name) const;
};

class HttpTransport {
 public:
  virtual ~HttpTransport() = default;

  // Performs one exchange. Any HTTP status is a successful Result: the caller judges 4xx and
  // 5xx. A failure is a Status made by netError(): netErrorOf(result.status()) tells the
  // category (connect, TLS, pin mismatch, timeout, cancelled, too large, protocol).
  // Calls from several threads are serialized.
  virtual Result<HttpReply> send(const HttpRequest& request) = 0;

  // Makes the send() in progress, if any, fail promptly with NetError::kCancelled. Safe to call
  // from any thread. It does not affect sends that start after it: a caller stopping for good
  // must also stop calling send().
  virtual void cancel() = 0;

 protected:
  HttpTransport() = default;
  HttpTransport(const HttpTransport&) = default;
  HttpTransport& operator=(const HttpTransport&) = default;
};

}  // namespace opcat::net
