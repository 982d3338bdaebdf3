// `admin user-add` and `admin user-list`: the staff who sign in to the coordinators' console.
// Passwords are read from standard input, never from the command line (where `ps` and shell
// history would show them), and stored only as Argon2id hashes.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "admin/admin_context.h"
#include "core/status.h"
#include "db/server_store.h"

namespace opcat::server::admin {

inline constexpr std::size_t kMinPasswordChars = 12;
inline constexpr std::size_t kMaxPasswordBytes = 1024;

// Adds a user inside the caller's transaction and audits it (without the password). Refuses a
// username not of [a-z0-9._-]{3,64}, a password shorter than kMinPasswordChars characters or
// longer than kMaxPasswordBytes bytes (kInvalidArgument), and a username in use
// (kAlreadyExists). Returns the new user's id.
Result<std::string> addUser(db::StoreSession& session, std::string_view username, db::Role role,
                            std::string_view password, std::int64_t nowMs);

AdminCommand userAddCommand();
AdminCommand userListCommand();

}  // namespace opcat::server::admin
