#include "crypto/key_file.h"

#include <fcntl.h>
#include <sodium.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <span>
#include <string>
#include <system_error>

#include "core/file_io.h"
#include "crypto/secure_file.h"
#include "crypto/sodium_init.h"

namespace opcat::crypto {
namespace {

constexpr std::array<std::uint8_t, 8> kMagic = {'O', 'P', 'C', 'A', 'T', 'K', 'E', 'Y'};
constexpr std::uint8_t kVersion = 1;

constexpr std::size_t kSaltSize = crypto_pwhash_SALTBYTES;
constexpr std::size_t kNonceSize = crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;
constexpr std::size_t kWrappedSize = SecretKey::kSize + crypto_aead_xchacha20poly1305_ietf_ABYTES;

constexpr std::size_t kVersionOffset = kMagic.size();
constexpr std::size_t kOpsOffset = kVersionOffset + 1;
constexpr std::size_t kMemOffset = kOpsOffset + 8;
constexpr std::size_t kSaltOffset = kMemOffset + 8;
constexpr std::size_t kNonceOffset = kSaltOffset + kSaltSize;
constexpr std::size_t kWrappedOffset = kNonceOffset + kNonceSize;  // also the AD length
constexpr std::size_t kFileSize = kWrappedOffset + kWrappedSize;

static_assert(kSaltSize == 16 && kNonceSize == 24 && kWrappedSize == 48);
static_assert(kFileSize == 113);

using FileBytes = std::array<std::uint8_t, kFileSize>;

// Bounds on the Argon2id cost read from a file. A crafted file must not make the tablet allocate
// unbounded memory or spin for minutes: beyond these, the file is treated as corrupt.
constexpr std::uint64_t kMaxOpsLimit = 100;
constexpr std::uint64_t kMaxMemLimit = std::uint64_t{1} << 30;  // 1 GiB

bool paramsInBounds(std::uint64_t ops, std::uint64_t mem) {
  return ops >= crypto_pwhash_OPSLIMIT_MIN && ops <= kMaxOpsLimit &&
         mem >= crypto_pwhash_MEMLIMIT_MIN && mem <= kMaxMemLimit;
}

void storeLe64(std::uint8_t* out, std::uint64_t v) {
  for (std::size_t i = 0; i < 8; ++i) out[i] = static_cast<std::uint8_t>(v >> (8 * i));
}

std::uint64_t loadLe64(const std::uint8_t* in) {
  std::uint64_t v = 0;
  for (std::size_t i = 0; i < 8; ++i) v |= std::uint64_t{in[i]} << (8 * i);
  return v;
}

Status corrupt(const std::filesystem::path& path, const char* why) {
  return Status::error(StatusCode::kCorrupt, "key file '" + path.string() + "': " + why);
}

// Reads the whole key file; it has a fixed size, so anything shorter or longer is corrupt.
Result<FileBytes> readKeyFile(const std::filesystem::path& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT) {
      return Status::error(StatusCode::kNotFound, "no key file at '" + path.string() + "'");
    }
    return ioError("open", path, errno);
  }
  FileBytes bytes{};
  std::array<std::uint8_t, 1> extra{};
  std::size_t got = 0;
  // Read one byte more than expected to notice a file that is too long.
  while (true) {
    std::uint8_t* dst = got < kFileSize ? bytes.data() + got : extra.data();
    const std::size_t want = got < kFileSize ? kFileSize - got : extra.size();
    const ssize_t n = ::read(fd, dst, want);
    if (n < 0) {
      if (errno == EINTR) continue;
      const int err = errno;
      ::close(fd);
      return ioError("read", path, err);
    }
    if (n == 0) break;
    got += static_cast<std::size_t>(n);
    if (got > kFileSize) break;
  }
  ::close(fd);
  if (got != kFileSize) return corrupt(path, "wrong size");
  if (std::memcmp(bytes.data(), kMagic.data(), kMagic.size()) != 0) {
    return corrupt(path, "not an Opcat key file");
  }
  if (bytes[kVersionOffset] != kVersion) return corrupt(path, "unsupported version");
  if (!paramsInBounds(loadLe64(bytes.data() + kOpsOffset), loadLe64(bytes.data() + kMemOffset))) {
    return corrupt(path, "Argon2id cost out of bounds");
  }
  return bytes;
}

// The key that wraps the data key, derived from the passphrase and salt with Argon2id.
Result<SecretKey> deriveWrappingKey(std::string_view passphrase, const std::uint8_t* salt,
                                    std::uint64_t ops, std::uint64_t mem) {
  SecretKey key = SecretKey::random();  // overwritten below; gives us guarded memory
  if (crypto_pwhash(key.mutableData(), SecretKey::kSize, passphrase.data(), passphrase.size(), salt,
                    ops, static_cast<std::size_t>(mem), crypto_pwhash_ALG_ARGON2ID13) != 0) {
    return Status::error(StatusCode::kInternal, "Argon2id failed (out of memory?)");
  }
  return key;
}

// Builds a complete key file wrapping `dataKey` under `passphrase` with a fresh salt and nonce.
Result<FileBytes> wrap(const SecretKey& dataKey, std::string_view passphrase, std::uint64_t ops,
                       std::uint64_t mem) {
  FileBytes bytes{};
  std::memcpy(bytes.data(), kMagic.data(), kMagic.size());
  bytes[kVersionOffset] = kVersion;
  storeLe64(bytes.data() + kOpsOffset, ops);
  storeLe64(bytes.data() + kMemOffset, mem);
  randombytes_buf(bytes.data() + kSaltOffset, kSaltSize);
  randombytes_buf(bytes.data() + kNonceOffset, kNonceSize);

  Result<SecretKey> wrappingKey =
      deriveWrappingKey(passphrase, bytes.data() + kSaltOffset, ops, mem);
  if (!wrappingKey) return wrappingKey.status();
  unsigned long long wrappedLen = 0;
  crypto_aead_xchacha20poly1305_ietf_encrypt(
      bytes.data() + kWrappedOffset, &wrappedLen, dataKey.data(), SecretKey::kSize, bytes.data(),
      kWrappedOffset, nullptr, bytes.data() + kNonceOffset, wrappingKey->data());
  if (wrappedLen != kWrappedSize) {
    return Status::error(StatusCode::kInternal, "unexpected wrapped key size");
  }
  return bytes;
}

// Unwraps the data key of a parsed file. kWrongPassphrase when authentication fails.
Result<SecretKey> unwrap(const FileBytes& bytes, std::string_view passphrase,
                         const std::filesystem::path& path) {
  const std::uint64_t ops = loadLe64(bytes.data() + kOpsOffset);
  const std::uint64_t mem = loadLe64(bytes.data() + kMemOffset);
  Result<SecretKey> wrappingKey =
      deriveWrappingKey(passphrase, bytes.data() + kSaltOffset, ops, mem);
  if (!wrappingKey) return wrappingKey.status();
  SecretKey dataKey = SecretKey::random();  // overwritten by the decryption
  unsigned long long keyLen = 0;
  if (crypto_aead_xchacha20poly1305_ietf_decrypt(
          dataKey.mutableData(), &keyLen, nullptr, bytes.data() + kWrappedOffset, kWrappedSize,
          bytes.data(), kWrappedOffset, bytes.data() + kNonceOffset, wrappingKey->data()) != 0 ||
      keyLen != SecretKey::kSize) {
    return Status::error(StatusCode::kWrongPassphrase,
                         "the passphrase does not open key file '" + path.string() + "'");
  }
  return dataKey;
}

}  // namespace

Argon2Params Argon2Params::production() {
  // Measured on the 2-core development machine (x86-64, libsodium 1.0.18, Debian 12, -O2), one
  // crypto_pwhash call with the machine idle, best/worst of 3: 256 MiB with opslimit 5 took
  // 0.60/0.63 s, opslimit 6 0.71/0.78 s, opslimit 7 0.82/0.86 s; 512 MiB with opslimit 3 took
  // 0.87/0.89 s. A whole KeyFile::unlock with the values below took 0.77-0.94 s (one outlier of
  // 1.3 s) while other builds kept both cores busy, and the store benchmark measured 1.7 s with
  // the machine's load at 6. We take 256 MiB (libsodium's MODERATE memory) with opslimit 5:
  // about 0.6 s idle, so a busy tablet still unlocks within about a second; 256 MiB keeps the
  // cost of each guess high on GPUs.
  return Argon2Params{5, std::size_t{256} << 20};
}

Argon2Params Argon2Params::fastForTests() {
  return Argon2Params{crypto_pwhash_OPSLIMIT_MIN, crypto_pwhash_MEMLIMIT_MIN};
}

Result<SecretKey> KeyFile::create(const std::filesystem::path& path, std::string_view passphrase,
                                  const Argon2Params& params) {
  ensureSodium();
  if (passphrase.empty()) {
    return Status::error(StatusCode::kInvalidArgument, "the passphrase must not be empty");
  }
  if (!paramsInBounds(params.opsLimit, params.memLimitBytes)) {
    return Status::error(StatusCode::kInvalidArgument, "Argon2id cost out of bounds");
  }
  std::error_code ec;
  if (std::filesystem::exists(std::filesystem::symlink_status(path, ec))) {
    return Status::error(StatusCode::kAlreadyExists,
                         "key file '" + path.string() + "' already exists");
  }
  SecretKey dataKey = SecretKey::random();
  Result<FileBytes> bytes = wrap(dataKey, passphrase, params.opsLimit, params.memLimitBytes);
  if (!bytes) return bytes.status();
  OPCAT_RETURN_IF_ERROR(writeFileAtomically(path, *bytes));
  return dataKey;
}

Result<SecretKey> KeyFile::unlock(const std::filesystem::path& path, std::string_view passphrase) {
  ensureSodium();
  Result<FileBytes> bytes = readKeyFile(path);
  if (!bytes) return bytes.status();
  return unwrap(*bytes, passphrase, path);
}

Status KeyFile::changePassphrase(const std::filesystem::path& path, std::string_view oldPassphrase,
                                 std::string_view newPassphrase) {
  ensureSodium();
  if (newPassphrase.empty()) {
    return Status::error(StatusCode::kInvalidArgument, "the new passphrase must not be empty");
  }
  Result<FileBytes> old = readKeyFile(path);
  if (!old) return old.status();
  Result<SecretKey> dataKey = unwrap(*old, oldPassphrase, path);
  if (!dataKey) return dataKey.status();
  Result<FileBytes> bytes = wrap(*dataKey, newPassphrase, loadLe64(old->data() + kOpsOffset),
                                 loadLe64(old->data() + kMemOffset));
  if (!bytes) return bytes.status();
  return writeFileAtomically(path, *bytes);
}

Status KeyFile::destroy(const std::filesystem::path& path) {
  // A temporary left by an interrupted create or passphrase change also wraps the data key.
  std::filesystem::path tmp = path;
  tmp += ".tmp";
  OPCAT_RETURN_IF_ERROR(overwriteAndRemove(path));
  return overwriteAndRemove(tmp);
}

}  // namespace opcat::crypto
