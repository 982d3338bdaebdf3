// Hybrid logical clocks (Kulkarni et al., 2014): timestamps that follow causality even when a
// tablet's wall clock is days or years wrong. A timestamp packs wall-clock milliseconds and a
// logical counter into 64 bits, so it orders as a plain integer and costs 8 bytes on the wire.
#pragma once

#include <compare>
#include <cstdint>
#include <functional>

namespace opcat::sync {

class Hlc {
 public:
  static constexpr int kLogicalBits = 16;
  static constexpr std::uint64_t kLogicalMask = (std::uint64_t{1} << kLogicalBits) - 1;

  constexpr Hlc() = default;
  constexpr explicit Hlc(std::uint64_t packed) : m_packed(packed) {}
  static constexpr Hlc fromParts(std::int64_t wallMs, std::uint32_t logical) {
    return Hlc((static_cast<std::uint64_t>(wallMs) << kLogicalBits) | (logical & kLogicalMask));
  }

  constexpr std::uint64_t packed() const { return m_packed; }
  constexpr std::int64_t wallMs() const { return static_cast<std::int64_t>(m_packed >> kLogicalBits); }
  constexpr std::uint32_t logical() const { return static_cast<std::uint32_t>(m_packed & kLogicalMask); }
  constexpr bool isZero() const { return m_packed == 0; }

  friend constexpr auto operator<=>(Hlc a, Hlc b) = default;

 private:
  std::uint64_t m_packed = 0;
};

// Issues timestamps for one replica. Not thread-safe: each store owns one and uses it under its
// write lock.
class HybridClock {
 public:
  using WallClock = std::function<std::int64_t()>;  // milliseconds since the Unix epoch

  // `last` is the greatest timestamp this replica issued or saw, restored from its store.
  explicit HybridClock(WallClock wallClock, Hlc last = Hlc());

  // A timestamp for a local event, greater than every one issued or observed before.
  Hlc now();
  // Takes in a timestamp received from another replica, so later local events order after it.
  void observe(Hlc remote);
  Hlc last() const { return m_last; }

  // The system clock in milliseconds since the epoch.
  static std::int64_t systemWallClockMs();

 private:
  WallClock m_wallClock;
  Hlc m_last;
};

}  // namespace opcat::sync
