#include "service/device_auth.h"

#include <sodium.h>

#include <array>

#include "crypto/attachment_stream.h"

namespace opcat::server {

std::string newDeviceToken() {
  std::array<unsigned char, 32> bytes{};
  randombytes_buf(bytes.data(), bytes.size());
  std::array<char, 64> text{};
  sodium_bin2base64(text.data(), text.size(), bytes.data(), bytes.size(),
                    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  sodium_memzero(bytes.data(), bytes.size());
  return std::string(text.data());
}

std::string secretHash(std::string_view secret) {
  return crypto::toHex(crypto::sha256(
      std::span(reinterpret_cast<const std::uint8_t*>(secret.data()), secret.size())));
}

std::optional<std::string_view> bearerToken(std::string_view header) {
  constexpr std::string_view kBearer = "Bearer ";
  if (header.substr(0, kBearer.size()) != kBearer || header.size() == kBearer.size() ||
      header.size() > kBearer.size() + 128) {
    return std::nullopt;
  }
  return header.substr(kBearer.size());
}

Result<Actor> authenticateDevice(db::ServerStore& store, std::string_view header) {
  const std::optional<std::string_view> token = bearerToken(header);
  if (!token) return Status::error(StatusCode::kUnavailable, "no bearer token");
  const std::string hash = secretHash(*token);
  Actor actor;
  Status found = store.read([&](db::StoreSession& session) -> Status {
    auto device = session.findDeviceByTokenHash(hash);
    if (!device) return device.status();
    if (!*device) return Status::error(StatusCode::kNotFound, "unknown token");
    if ((*device)->revokedAtMs != 0) {
      return Status::error(StatusCode::kNotFound, "device " + (*device)->id + " is revoked");
    }
    actor = Actor{Actor::Kind::kDevice, (*device)->id, (*device)->monitorId};
    return Status::ok();
  });
  if (!found.isOk()) {
    if (found.code() == StatusCode::kDatabaseError) return found;
    return Status::error(StatusCode::kUnavailable, found.message());
  }
  return actor;
}

}  // namespace opcat::server
