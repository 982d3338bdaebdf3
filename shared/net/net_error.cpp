#include "net/net_error.h"

#include <array>
#include <ostream>
#include <utility>

namespace opcat::net {
namespace {

constexpr std::string_view kPrefix = "net/";
constexpr std::array kAll = {NetError::kConnect, NetError::kTls,       NetError::kPinMismatch,
                             NetError::kTimeout, NetError::kCancelled, NetError::kTooLarge,
                             NetError::kProtocol};

}  // namespace

const char* netErrorName(NetError error) {
  switch (error) {
    case NetError::kConnect:
      return "connect";
    case NetError::kTls:
      return "tls";
    case NetError::kPinMismatch:
      return "pin_mismatch";
    case NetError::kTimeout:
      return "timeout";
    case NetError::kCancelled:
      return "cancelled";
    case NetError::kTooLarge:
      return "too_large";
    case NetError::kProtocol:
      return "protocol";
  }
  return "protocol";
}

std::ostream& operator<<(std::ostream& out, NetError error) { return out << netErrorName(error); }

Status netError(NetError error, std::string_view message, StatusCode code) {
  std::string text(kPrefix);
  text += netErrorName(error);
  text += ": ";
  text += message;
  return Status::error(code == StatusCode::kOk ? StatusCode::kUnavailable : code, std::move(text));
}

std::optional<NetError> netErrorOf(const Status& status) {
  if (status.isOk()) return std::nullopt;
  std::string_view message = status.message();
  if (message.substr(0, kPrefix.size()) != kPrefix) return std::nullopt;
  message.remove_prefix(kPrefix.size());
  for (NetError error : kAll) {
    const std::string_view name = netErrorName(error);
    if (message.size() > name.size() && message.substr(0, name.size()) == name &&
        message[name.size()] == ':') {
      return error;
    }
  }
  return std::nullopt;
}

bool isRetryable(NetError error) {
  return error == NetError::kConnect || error == NetError::kTimeout;
}

}  // namespace opcat::net
