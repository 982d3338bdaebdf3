#include "service/log.h"

#include <unistd.h>

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <ctime>

#include "service/json_text.h"

namespace opcat::server {

std::string_view knownMethodOrOther(std::string_view method) {
  if (method == "-") return method;  // the request line was never parsed
  static constexpr std::string_view kKnown[] = {"GET",     "HEAD",  "POST",    "PUT",  "DELETE",
                                                "OPTIONS", "PATCH", "CONNECT", "TRACE"};
  for (std::string_view known : kKnown) {
    if (method == known) return known;
  }
  return "OTHER";
}

void writeLogLine(std::string_view line) {
  std::string buffer;
  buffer.reserve(line.size() + 1);
  buffer.append(line);
  buffer += '\n';
  const char* data = buffer.data();
  std::size_t left = buffer.size();
  while (left > 0) {
    const ssize_t written = ::write(STDERR_FILENO, data, left);
    if (written < 0) {
      if (errno == EINTR) continue;
      return;  // nowhere to report a failing log
    }
    data += written;
    left -= static_cast<std::size_t>(written);
  }
}

std::string utcTimestamp(std::chrono::system_clock::time_point time) {
  const auto sinceEpoch = time.time_since_epoch();
  const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(sinceEpoch);
  const auto millis =
      std::chrono::duration_cast<std::chrono::milliseconds>(sinceEpoch - seconds).count();
  const std::time_t whole = static_cast<std::time_t>(seconds.count());
  std::tm parts{};
  gmtime_r(&whole, &parts);
  char text[64];
  std::snprintf(text, sizeof text, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", parts.tm_year + 1900,
                parts.tm_mon + 1, parts.tm_mday, parts.tm_hour, parts.tm_min, parts.tm_sec,
                static_cast<int>(millis));
  return text;
}

void logEvent(std::string_view level, std::string_view event, std::string_view detail) {
  std::string line = "{\"ts\":" + jsonQuote(utcTimestamp(std::chrono::system_clock::now())) +
                     ",\"level\":" + jsonQuote(level) + ",\"event\":" + jsonQuote(event);
  if (!detail.empty()) line += ",\"detail\":" + jsonQuote(detail);
  line += '}';
  writeLogLine(line);
}

std::string formatAccessLog(const AccessLogEntry& entry) {
  char ms[32];
  std::snprintf(ms, sizeof ms, "%.3f", entry.milliseconds);
  std::string line = "{\"ts\":" + jsonQuote(utcTimestamp(entry.time)) +
                     ",\"method\":" + jsonQuote(knownMethodOrOther(entry.method)) +
                     ",\"route\":" + jsonQuote(entry.route) +
                     ",\"status\":" + std::to_string(entry.status) +
                     ",\"bytes_in\":" + std::to_string(entry.bytesIn) +
                     ",\"bytes_out\":" + std::to_string(entry.bytesOut) + ",\"ms\":" + ms +
                     ",\"principal\":" + jsonQuote(entry.principal.empty() ? "-" : entry.principal);
  if (entry.problemCode != 0) line += ",\"problem\":" + std::to_string(entry.problemCode);
  line += '}';
  return line;
}

void writeAccessLog(const AccessLogEntry& entry) { writeLogLine(formatAccessLog(entry)); }

}  // namespace opcat::server
