#include "net/url_policy.h"

#include <arpa/inet.h>

#include <array>
#include <string>

#include "core/ascii.h"
#include "net/net_error.h"

namespace opcat::net {

bool isLoopbackHost(std::string_view host) {
  if (equalsIgnoringAsciiCase(host, "localhost")) return true;
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  const std::string text(host);
  std::array<unsigned char, 16> address{};
  // inet_pton accepts only the strict dotted-quad form, never "127.1" or octal/hex parts.
  if (::inet_pton(AF_INET, text.c_str(), address.data()) == 1) return address[0] == 127;
  if (::inet_pton(AF_INET6, text.c_str(), address.data()) == 1) {
    constexpr std::array<unsigned char, 16> kLoopback = {0, 0, 0, 0, 0, 0, 0, 0,
                                                         0, 0, 0, 0, 0, 0, 0, 1};
    return address == kLoopback;
  }
  return false;
}

Status checkSchemeAndHost(std::string_view scheme, std::string_view host,
                          bool allowPlainHttpOnLoopback) {
  if (equalsIgnoringAsciiCase(scheme, "https")) return Status::ok();
  if (equalsIgnoringAsciiCase(scheme, "http")) {
    if (allowPlainHttpOnLoopback && isLoopbackHost(host)) return Status::ok();
    return netError(NetError::kTls,
                    "refusing plain http:// to " + std::string(host) +
                        ": TLS is required (plain HTTP is allowed only to a loopback address)",
                    StatusCode::kInvalidArgument);
  }
  return netError(NetError::kProtocol,
                  "unsupported URL scheme '" + std::string(scheme) + "': only https:// is allowed",
                  StatusCode::kInvalidArgument);
}

}  // namespace opcat::net
