// `admin office-key`: the office's X25519 key pair. Tablets seal interviewees' identities to its
// public key at capture; only the secret key opens them, and it never stays on the server: it is
// written once to a file (mode 0600) for offline keeping at the office. The server keeps the
// public key and its id (settings office_public_key, office_key_id) and hands them to tablets
// at enrollment.
//
// The secret key file is text:
//   # comment lines
//   key-id: <16 hex>
//   public-key: <64 hex>
//   secret-key: <64 hex>
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

#include "admin/admin_context.h"
#include "core/status.h"
#include "db/server_store.h"

namespace opcat::server::admin {

// The id of the office key the server holds, if any.
Result<std::optional<std::string>> storedOfficeKeyId(db::StoreSession& session);

// Generates a key pair, writes the secret key to `secretKeyOut` (refusing a path that exists,
// kAlreadyExists) and stores the public key in its own transaction, audited. An existing key is
// replaced only when `rotate` (kAlreadyExists otherwise). When storing fails the file is
// removed again. Returns the new key id.
Result<std::string> createOfficeKey(db::ServerStore& store,
                                    const std::filesystem::path& secretKeyOut, bool rotate,
                                    std::int64_t nowMs);

AdminCommand officeKeyCommand();

}  // namespace opcat::server::admin
