// Which URLs the transport may fetch: https:// anywhere, plain http:// only to this device's
// own loopback interface (a test server or a local tunnel), never elsewhere. Pure functions
// over the scheme and host that libcurl's URL parser extracted, so the transport judges the
// very URL that libcurl then connects to.
#pragma once

#include <string_view>

#include "core/status.h"

namespace opcat::net {

// True for "localhost", 127.0.0.0/8 in dotted-quad form and "[::1]" / "::1" (case-insensitive
// names). Anything else, including "localhost." and IPv4-mapped IPv6, is not loopback: when in
// doubt the answer is the stricter one.
bool isLoopbackHost(std::string_view host);

// Ok when a request to `scheme`://`host` is allowed: scheme "https", or scheme "http" with a
// loopback host and `allowPlainHttpOnLoopback`. Otherwise a netError(kTls) for plain http, or
// netError(kProtocol) for any other scheme, both with StatusCode::kInvalidArgument.
Status checkSchemeAndHost(std::string_view scheme, std::string_view host,
                          bool allowPlainHttpOnLoopback);

}  // namespace opcat::net
