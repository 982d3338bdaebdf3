#include "admin/time_text.h"

#include <chrono>
#include <cstdio>

namespace opcat::server::admin {
namespace {

// The number in text[at, at + digits), or -1 when those are not all digits.
int digitsAt(std::string_view text, std::size_t at, std::size_t digits) {
  int value = 0;
  for (std::size_t i = at; i < at + digits; ++i) {
    if (text[i] < '0' || text[i] > '9') return -1;
    value = value * 10 + (text[i] - '0');
  }
  return value;
}

}  // namespace

Result<std::int64_t> parseAdminTime(std::string_view text) {
  auto bad = [&] {
    return Status::error(StatusCode::kInvalidArgument,
                         "'" + std::string(text) +
                             "' is not a time of the form YYYY-MM-DDTHH:MM (Almaty time, UTC+5) "
                             "or YYYY-MM-DDTHH:MMZ (UTC)");
  };
  bool utc = false;
  if (text.size() == 17 && text.back() == 'Z') {
    utc = true;
    text.remove_suffix(1);
  }
  if (text.size() != 16 || text[4] != '-' || text[7] != '-' || text[10] != 'T' || text[13] != ':') {
    return bad();
  }
  const int year = digitsAt(text, 0, 4);
  const int month = digitsAt(text, 5, 2);
  const int day = digitsAt(text, 8, 2);
  const int hour = digitsAt(text, 11, 2);
  const int minute = digitsAt(text, 14, 2);
  if (year < 1970 || month < 1 || day < 1 || hour < 0 || hour > 23 || minute < 0 || minute > 59) {
    return bad();
  }
  const std::chrono::year_month_day date{std::chrono::year(year),
                                         std::chrono::month(static_cast<unsigned>(month)),
                                         std::chrono::day(static_cast<unsigned>(day))};
  if (!date.ok()) return bad();
  const auto midnight = std::chrono::sys_days(date).time_since_epoch();
  const std::int64_t ms = std::chrono::duration_cast<std::chrono::milliseconds>(midnight).count() +
                          (std::int64_t{hour} * 60 + minute) * 60'000;
  return utc ? ms : ms - kAlmatyOffsetMs;
}

std::string formatAdminTime(std::int64_t ms) {
  if (ms == 0) return "-";
  const std::chrono::sys_time<std::chrono::milliseconds> local{
      std::chrono::milliseconds(ms + kAlmatyOffsetMs)};
  const auto day = std::chrono::floor<std::chrono::days>(local);
  const std::chrono::year_month_day date(day);
  const std::chrono::hh_mm_ss time(std::chrono::floor<std::chrono::minutes>(local - day));
  char text[48];
  std::snprintf(text, sizeof text, "%04d-%02u-%02u %02d:%02d (UTC+5)",
                static_cast<int>(date.year()), static_cast<unsigned>(date.month()),
                static_cast<unsigned>(date.day()), static_cast<int>(time.hours().count()),
                static_cast<int>(time.minutes().count()));
  return text;
}

}  // namespace opcat::server::admin
