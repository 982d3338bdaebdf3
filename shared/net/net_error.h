// NetError: the category of a failed HTTP exchange, carried inside an opcat::Status so that
// callers (the sync engine) can decide what to do without parsing libcurl's wording.
//
// A network failure is a Status whose message starts with "net/<category>: ", e.g.
//   "net/pin_mismatch: https://sync.example.org:443 presented a public key matching none of
//    the 2 pinned keys"
// Build one with netError(); read the category back with netErrorOf().
#pragma once

#include <iosfwd>
#include <optional>
#include <string>
#include <string_view>

#include "core/status.h"

namespace opcat::net {

enum class NetError {
  kConnect,      // DNS, TCP or a dropped connection: the network; retry with back-off
  kTls,          // TLS refused: untrusted or wrong-host certificate, old protocol, TLS required
  kPinMismatch,  // the server's public key matches no configured pin: possible interception
  kTimeout,      // connect timeout, total timeout or a transfer slower than the low-speed limit
  kCancelled,    // HttpTransport::cancel() was called during the request
  kTooLarge,     // the response exceeded the configured maximum size
  kProtocol,     // malformed request or URL, or a reply that is not valid HTTP
};

// Stable short name: "connect", "tls", "pin_mismatch", "timeout", "cancelled", "too_large",
// "protocol".
const char* netErrorName(NetError error);
// Writes netErrorName(error); lets test frameworks print a NetError.
std::ostream& operator<<(std::ostream& out, NetError error);

// A failed Status carrying `error`: code `code`, message "net/<name>: <message>".
// REQUIRES: `message` holds no request or response body, credential or URL query.
Status netError(NetError error, std::string_view message,
                StatusCode code = StatusCode::kUnavailable);

// The category of a Status made by netError(); nullopt for ok and for any other Status.
std::optional<NetError> netErrorOf(const Status& status);

// Whether a later attempt may succeed without anyone changing anything: true for kConnect and
// kTimeout. TLS and pin failures stay until the server or the configuration is fixed; a
// cancellation was asked for; a too-large or malformed exchange will repeat itself.
bool isRetryable(NetError error);

}  // namespace opcat::net
