#include "net/http_transport.h"

#include "core/ascii.h"

namespace opcat::net {

std::optional<std::string> HttpReply::header(std::string_view name) const {
  for (const auto& [key, value] : headers) {
    if (equalsIgnoringAsciiCase(key, name)) return value;
  }
  return std::nullopt;
}

}  // namespace opcat::net
