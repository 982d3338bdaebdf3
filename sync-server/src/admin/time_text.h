// Times as administrators type and read them. Kazakhstan keeps one time zone, UTC+5 (Asia/Almaty
// since March 2024), with no daylight saving, so local time is a fixed offset.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/status.h"

namespace opcat::server::admin {

inline constexpr std::int64_t kAlmatyOffsetMs = 5LL * 3600 * 1000;

// "YYYY-MM-DDTHH:MM" in Almaty time, or "YYYY-MM-DDTHH:MMZ" in UTC, as milliseconds since the
// epoch. kInvalidArgument for any other shape or an impossible date or time.
Result<std::int64_t> parseAdminTime(std::string_view text);

// "2026-12-01 10:00 (UTC+5)" for `ms`; "-" for 0 (not set).
std::string formatAdminTime(std::int64_t ms);

}  // namespace opcat::server::admin
