// Device tokens: 32 random bytes, given to the tablet once at enrollment; the server keeps only
// their SHA-256 (a random 256-bit token needs no slow hash). A revoked device is refused at its
// next request.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/status.h"
#include "db/server_store.h"
#include "service/change_applier.h"

namespace opcat::server {

// A new token, as 43 characters of unpadded base64url.
std::string newDeviceToken();
// The hex SHA-256 under which a token (or an enrollment code) is stored.
std::string secretHash(std::string_view secret);

// The token of `Authorization: Bearer <token>`, or nullopt when the header is another scheme,
// has no token, or one longer than any token this server issues (128 characters).
std::optional<std::string_view> bearerToken(std::string_view authorizationHeader);

// The device behind `Authorization: Bearer <token>`; kUnauthenticated for a missing, malformed,
// unknown or revoked token (the message says which, for the log; clients get one answer).
Result<Actor> authenticateDevice(db::ServerStore& store, std::string_view authorizationHeader);

}  // namespace opcat::server
