// The tablet's key file: a random data key wrapped by a key derived from the monitor's passphrase
// with Argon2id. Changing the passphrase re-wraps the data key; nothing else is re-encrypted.
// Destroying the key file makes every sealed record and attachment unreadable for good.
//
// Format (little-endian): "OPCATKEY" | u8 version | u64 opslimit | u64 memlimit | 16 salt |
// 24 nonce | 48 wrapped key (XChaCha20-Poly1305 of the 32-byte key; AD = every byte before it).
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string_view>

#include "core/status.h"
#include "crypto/secret_key.h"

namespace opcat::crypto {

// Argon2id cost. Production unlocks take 0.5–1 s on a 2-core machine; tests may use less.
struct Argon2Params {
  std::uint64_t opsLimit = 0;
  std::size_t memLimitBytes = 0;

  // The production cost: at least 64 MiB, tuned so one unlock takes 0.5–1 s here.
  static Argon2Params production();
  // The cheapest cost libsodium allows, for tests that do not measure the KDF.
  static Argon2Params fastForTests();
};

class KeyFile {
 public:
  // Creates `path` holding a fresh random data key wrapped under `passphrase`, and returns the
  // data key. Written to a temporary name, fsynced and renamed, so a crash leaves no half file.
  // Fails with kAlreadyExists if `path` exists, kInvalidArgument for an empty passphrase or a
  // cost outside the bounds unlock() accepts.
  static Result<SecretKey> create(const std::filesystem::path& path, std::string_view passphrase,
                                  const Argon2Params& params);

  // Unwraps the data key. kWrongPassphrase when the passphrase does not match (the file is not
  // modified), kCorrupt for a truncated or foreign file, kNotFound when it is missing.
  // kCorrupt too when the stored cost is outside [libsodium's minimum, 100 passes / 1 GiB], so a
  // crafted file cannot make the tablet allocate unbounded memory. An altered salt, nonce or
  // wrapped key cannot be told apart from a wrong passphrase and also gives kWrongPassphrase.
  static Result<SecretKey> unlock(const std::filesystem::path& path, std::string_view passphrase);

  // Re-wraps the same data key under `newPassphrase` (new salt, same cost), atomically.
  // kWrongPassphrase if `oldPassphrase` is wrong; the file is then unchanged.
  static Status changePassphrase(const std::filesystem::path& path, std::string_view oldPassphrase,
                                 std::string_view newPassphrase);

  // Overwrites the file with random bytes, fsyncs, and unlinks it. After this the data key
  // cannot be recovered from the disk. Succeeds if the file is already gone. A "<path>.tmp" left
  // by an interrupted create or passphrase change is destroyed too.
  static Status destroy(const std::filesystem::path& path);
};

}  // namespace opcat::crypto
