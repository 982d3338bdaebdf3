// A 32-byte symmetric key held in guarded memory (sodium_malloc: locked, fenced, zeroed on free).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>

namespace opcat::crypto {

class SecretKey {
 public:
  static constexpr std::size_t kSize = 32;

  // A fresh key from the CSPRNG.
  static SecretKey random();
  // A copy of `bytes`. REQUIRES: bytes.size() == kSize.
  static SecretKey fromBytes(std::span<const std::uint8_t> bytes);

  SecretKey(SecretKey&&) noexcept = default;
  SecretKey& operator=(SecretKey&&) noexcept = default;
  SecretKey(const SecretKey&) = delete;
  SecretKey& operator=(const SecretKey&) = delete;
  ~SecretKey() = default;

  // A moved-from key holds nothing: data() is null and it must not be used.
  const std::uint8_t* data() const { return m_bytes.get(); }
  std::uint8_t* mutableData() { return m_bytes.get(); }
  std::span<const std::uint8_t> bytes() const { return {m_bytes.get(), kSize}; }

  // A subkey for one purpose (crypto_kdf_derive_from_key); `context` is exactly 8 characters,
  // e.g. "records_", "attachmt", "identity".
  SecretKey derive(std::uint64_t subkeyId, const char (&context)[9]) const;

 private:
  struct Free {
    void operator()(std::uint8_t* p) const;
  };
  SecretKey();
  std::unique_ptr<std::uint8_t, Free> m_bytes;
};

}  // namespace opcat::crypto
