#include "crypto/attachment_stream.h"

#include <fcntl.h>
#include <sodium.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <system_error>
#include <utility>
#include <vector>

#include "core/file_io.h"
#include "crypto/secure_file.h"
#include "crypto/sodium_init.h"

namespace opcat::crypto {
namespace {

constexpr std::array<std::uint8_t, 8> kMagic = {'O', 'P', 'C', 'A', 'T', 'A', 'T', 'T'};
constexpr std::uint8_t kVersion = 1;
constexpr std::size_t kStreamHeaderSize = crypto_secretstream_xchacha20poly1305_HEADERBYTES;
constexpr std::size_t kPrefixSize = kMagic.size() + 1 + kStreamHeaderSize;
constexpr std::size_t kLengthSize = 4;
constexpr std::size_t kChunkSize = 64 * 1024;  // plaintext bytes per chunk
constexpr std::size_t kChunkOverhead = crypto_secretstream_xchacha20poly1305_ABYTES;
constexpr std::size_t kMaxSealedChunk = kChunkSize + kChunkOverhead;

static_assert(kStreamHeaderSize == 24);
static_assert(crypto_secretstream_xchacha20poly1305_KEYBYTES == SecretKey::kSize);

Status tampered(const std::filesystem::path& path, const char* why) {
  return Status::error(StatusCode::kTampered, "attachment '" + path.string() + "': " + why);
}

Status corrupt(const std::filesystem::path& path, const char* why) {
  return Status::error(StatusCode::kCorrupt, "attachment '" + path.string() + "': " + why);
}

// Reads up to `size` bytes, fewer only at the end of the file.
Result<std::size_t> readUpTo(int fd, std::uint8_t* data, std::size_t size,
                             const std::filesystem::path& path) {
  std::size_t got = 0;
  while (got < size) {
    const ssize_t n = ::read(fd, data + got, size - got);
    if (n < 0) {
      if (errno == EINTR) continue;
      return ioError("read", path, errno);
    }
    if (n == 0) break;
    got += static_cast<std::size_t>(n);
  }
  return got;
}

void storeLe32(std::uint8_t* out, std::uint32_t v) {
  for (std::size_t i = 0; i < 4; ++i) out[i] = static_cast<std::uint8_t>(v >> (8 * i));
}

std::uint32_t loadLe32(const std::uint8_t* in) {
  std::uint32_t v = 0;
  for (std::size_t i = 0; i < 4; ++i) v |= std::uint32_t{in[i]} << (8 * i);
  return v;
}

std::filesystem::path partPathOf(const std::filesystem::path& path) {
  std::filesystem::path part = path;
  part += ".part";
  return part;
}

std::filesystem::path parentOf(const std::filesystem::path& path) {
  std::filesystem::path parent = path.parent_path();
  return parent.empty() ? std::filesystem::path(".") : parent;
}

// Decryption state of one read; wiped when the read ends, however it ends.
struct PullContext {
  crypto_secretstream_xchacha20poly1305_state stream{};
  crypto_hash_sha256_state hash{};
  std::vector<std::uint8_t> sealed = std::vector<std::uint8_t>(kMaxSealedChunk);
  std::vector<std::uint8_t> plain = std::vector<std::uint8_t>(kChunkSize);
  int fd = -1;

  PullContext() = default;
  PullContext(const PullContext&) = delete;
  PullContext& operator=(const PullContext&) = delete;
  ~PullContext() {
    if (fd >= 0) ::close(fd);
    sodium_memzero(&stream, sizeof stream);
    sodium_memzero(&hash, sizeof hash);
    sodium_memzero(plain.data(), plain.size());
  }
};

}  // namespace

struct AttachmentWriter::State {
  std::filesystem::path path;
  std::filesystem::path partPath;
  std::string attachmentId;
  int fd = -1;
  crypto_secretstream_xchacha20poly1305_state stream{};
  crypto_hash_sha256_state hash{};
  std::vector<std::uint8_t> plain = std::vector<std::uint8_t>(kChunkSize);  // pending chunk
  std::size_t plainLen = 0;
  std::vector<std::uint8_t> sealed = std::vector<std::uint8_t>(kLengthSize + kMaxSealedChunk);
  std::uint64_t sizeBytes = 0;
  bool firstChunk = true;
  bool closed = false;    // finished or failed: no more writes
  bool finished = false;  // renamed to `path`

  State() = default;
  State(const State&) = delete;
  State& operator=(const State&) = delete;
  ~State() {
    discard();
    sodium_memzero(&stream, sizeof stream);
    sodium_memzero(&hash, sizeof hash);
    sodium_memzero(plain.data(), plain.size());
  }

  // Closes the file and, unless it was published, removes the .part file.
  void discard() {
    if (fd >= 0) {
      ::close(fd);
      fd = -1;
    }
    if (!finished && !partPath.empty()) ::unlink(partPath.c_str());
    closed = true;
  }

  Status fail(Status status) {
    discard();
    return status;
  }

  // Seals the pending plaintext as one chunk and appends it to the .part file.
  Status sealChunk(unsigned char tag) {
    const auto* ad =
        firstChunk ? reinterpret_cast<const unsigned char*>(attachmentId.data()) : nullptr;
    const std::size_t adLen = firstChunk ? attachmentId.size() : 0;
    unsigned long long sealedLen = 0;
    crypto_secretstream_xchacha20poly1305_push(&stream, sealed.data() + kLengthSize, &sealedLen,
                                               plain.data(), plainLen, ad, adLen, tag);
    storeLe32(sealed.data(), static_cast<std::uint32_t>(sealedLen));
    firstChunk = false;
    plainLen = 0;
    return writeAll(fd, sealed.data(), kLengthSize + static_cast<std::size_t>(sealedLen), partPath);
  }
};

AttachmentWriter::AttachmentWriter(std::unique_ptr<State> state) : m_state(std::move(state)) {}

AttachmentWriter::~AttachmentWriter() = default;

Result<std::unique_ptr<AttachmentWriter>> AttachmentWriter::begin(const std::filesystem::path& path,
                                                                  const SecretKey& key,
                                                                  std::string_view attachmentId) {
  ensureSodium();
  std::error_code ec;
  if (std::filesystem::exists(std::filesystem::symlink_status(path, ec))) {
    return Status::error(StatusCode::kAlreadyExists,
                         "attachment '" + path.string() + "' already exists");
  }
  auto state = std::make_unique<State>();
  state->path = path;
  state->attachmentId = std::string(attachmentId);
  const std::filesystem::path partPath = partPathOf(path);
  // O_TRUNC reuses a .part left by a crash (it holds only ciphertext); O_NOFOLLOW refuses a
  // planted symlink.
  state->fd = ::open(partPath.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0600);
  if (state->fd < 0) return ioError("open", partPath, errno);
  state->partPath = partPath;  // from here on, the State removes the .part file if unfinished

  std::array<std::uint8_t, kPrefixSize> prefix{};
  std::memcpy(prefix.data(), kMagic.data(), kMagic.size());
  prefix[kMagic.size()] = kVersion;
  crypto_secretstream_xchacha20poly1305_init_push(&state->stream, prefix.data() + kMagic.size() + 1,
                                                  key.data());
  crypto_hash_sha256_init(&state->hash);
  OPCAT_RETURN_IF_ERROR(writeAll(state->fd, prefix.data(), prefix.size(), partPath));
  return std::unique_ptr<AttachmentWriter>(new AttachmentWriter(std::move(state)));
}

Status AttachmentWriter::write(std::span<const std::uint8_t> plaintext) {
  State& s = *m_state;
  if (s.closed) {
    return Status::error(StatusCode::kInvalidArgument, "attachment writer is already closed");
  }
  if (plaintext.empty()) return Status::ok();
  crypto_hash_sha256_update(&s.hash, plaintext.data(), plaintext.size());
  s.sizeBytes += plaintext.size();
  while (!plaintext.empty()) {
    // A full chunk is sealed only once more data arrives, so that finish() can mark the last
    // chunk TAG_FINAL without adding an empty one.
    if (s.plainLen == kChunkSize) {
      Status status = s.sealChunk(crypto_secretstream_xchacha20poly1305_TAG_MESSAGE);
      if (!status.isOk()) return s.fail(std::move(status));
    }
    const std::size_t take = std::min(plaintext.size(), kChunkSize - s.plainLen);
    std::memcpy(s.plain.data() + s.plainLen, plaintext.data(), take);
    s.plainLen += take;
    plaintext = plaintext.subspan(take);
  }
  return Status::ok();
}

Result<AttachmentSummary> AttachmentWriter::finish() {
  State& s = *m_state;
  if (s.closed) {
    return Status::error(StatusCode::kInvalidArgument, "attachment writer is already closed");
  }
  Status status = s.sealChunk(crypto_secretstream_xchacha20poly1305_TAG_FINAL);
  if (!status.isOk()) return s.fail(std::move(status));
  if (::fsync(s.fd) != 0) return s.fail(ioError("fsync", s.partPath, errno));
  const int rc = ::close(s.fd);
  s.fd = -1;
  if (rc != 0) return s.fail(ioError("close", s.partPath, errno));
  std::error_code ec;
  if (std::filesystem::exists(std::filesystem::symlink_status(s.path, ec))) {
    return s.fail(Status::error(StatusCode::kAlreadyExists,
                                "attachment '" + s.path.string() + "' already exists"));
  }
  if (::rename(s.partPath.c_str(), s.path.c_str()) != 0) {
    return s.fail(ioError("rename to", s.path, errno));
  }
  s.finished = true;
  s.closed = true;

  AttachmentSummary summary;
  crypto_hash_sha256_final(&s.hash, summary.sha256.data());
  summary.sizeBytes = s.sizeBytes;
  OPCAT_RETURN_IF_ERROR(syncDirectory(parentOf(s.path)));
  return summary;
}

Result<AttachmentSummary> readAttachment(
    const std::filesystem::path& path, const SecretKey& key, std::string_view attachmentId,
    const std::function<void(std::span<const std::uint8_t>)>& sink) {
  ensureSodium();
  PullContext ctx;
  ctx.fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (ctx.fd < 0) {
    if (errno == ENOENT) {
      return Status::error(StatusCode::kNotFound, "no attachment at '" + path.string() + "'");
    }
    return ioError("open", path, errno);
  }

  std::array<std::uint8_t, kPrefixSize> prefix{};
  Result<std::size_t> got = readUpTo(ctx.fd, prefix.data(), prefix.size(), path);
  if (!got) return got.status();
  if (*got != prefix.size()) return corrupt(path, "too short");
  if (std::memcmp(prefix.data(), kMagic.data(), kMagic.size()) != 0) {
    return corrupt(path, "not an Opcat attachment");
  }
  if (prefix[kMagic.size()] != kVersion) return corrupt(path, "unsupported version");
  if (crypto_secretstream_xchacha20poly1305_init_pull(
          &ctx.stream, prefix.data() + kMagic.size() + 1, key.data()) != 0) {
    return corrupt(path, "invalid stream header");
  }
  crypto_hash_sha256_init(&ctx.hash);

  AttachmentSummary summary;
  bool first = true;
  bool final = false;
  while (!final) {
    std::array<std::uint8_t, kLengthSize> lengthBytes{};
    got = readUpTo(ctx.fd, lengthBytes.data(), lengthBytes.size(), path);
    if (!got) return got.status();
    if (*got != lengthBytes.size()) return tampered(path, "truncated (no final chunk)");
    const std::size_t sealedLen = loadLe32(lengthBytes.data());
    // Bounding the length keeps memory fixed whatever a crafted file claims.
    if (sealedLen < kChunkOverhead || sealedLen > kMaxSealedChunk) {
      return tampered(path, "chunk length out of bounds");
    }
    got = readUpTo(ctx.fd, ctx.sealed.data(), sealedLen, path);
    if (!got) return got.status();
    if (*got != sealedLen) return tampered(path, "truncated chunk");

    const auto* ad = first ? reinterpret_cast<const unsigned char*>(attachmentId.data()) : nullptr;
    const std::size_t adLen = first ? attachmentId.size() : 0;
    unsigned long long plainLen = 0;
    unsigned char tag = 0;
    if (crypto_secretstream_xchacha20poly1305_pull(&ctx.stream, ctx.plain.data(), &plainLen, &tag,
                                                   ctx.sealed.data(), sealedLen, ad, adLen) != 0) {
      return tampered(path, "chunk failed authentication (altered, reordered or foreign)");
    }
    if (tag != crypto_secretstream_xchacha20poly1305_TAG_MESSAGE &&
        tag != crypto_secretstream_xchacha20poly1305_TAG_FINAL) {
      return corrupt(path, "unexpected chunk tag");
    }
    first = false;
    final = tag == crypto_secretstream_xchacha20poly1305_TAG_FINAL;
    const auto n = static_cast<std::size_t>(plainLen);
    if (n > 0) {
      crypto_hash_sha256_update(&ctx.hash, ctx.plain.data(), n);
      summary.sizeBytes += n;
      sink(std::span<const std::uint8_t>(ctx.plain.data(), n));
    }
  }
  std::array<std::uint8_t, 1> trailing{};
  got = readUpTo(ctx.fd, trailing.data(), trailing.size(), path);
  if (!got) return got.status();
  if (*got != 0) return tampered(path, "bytes after the final chunk");
  crypto_hash_sha256_final(&ctx.hash, summary.sha256.data());
  return summary;
}

Sha256Digest sha256(std::span<const std::uint8_t> data) {
  ensureSodium();
  Sha256Digest digest{};
  crypto_hash_sha256(digest.data(), data.data(), data.size());
  return digest;
}

std::string toHex(std::span<const std::uint8_t> bytes) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(2 * bytes.size());
  for (const std::uint8_t b : bytes) {
    out.push_back(kHex[b >> 4]);
    out.push_back(kHex[b & 0x0F]);
  }
  return out;
}

}  // namespace opcat::crypto
