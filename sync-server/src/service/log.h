// The server's log: one JSON object per line on stderr, for journald or a log shipper. Lines
// never carry request bodies, query strings, credentials or record content: callers pass only
// route patterns, ids, sizes and codes.
#pragma once

#include <chrono>
#include <string>
#include <string_view>

namespace opcat::server {

// Writes `line` plus '\n' to stderr with one write(2), so lines from threads do not interleave.
void writeLogLine(std::string_view line);

// "2024-05-01T12:00:00.123Z".
std::string utcTimestamp(std::chrono::system_clock::time_point time);

// {"ts":..,"level":..,"event":..,"detail":..}. `detail` must not contain request content.
void logEvent(std::string_view level, std::string_view event, std::string_view detail = {});

// `method` when it is a standard HTTP method or "-" (not parsed), else "OTHER": client-chosen
// tokens must not flow into logs or metric labels unbounded.
std::string_view knownMethodOrOther(std::string_view method);

// One access-log line per request (see writeAccessLog).
struct AccessLogEntry {
  std::chrono::system_clock::time_point time;
  std::string_view method;
  std::string_view route;  // the pattern, e.g. "/v1/visits/{id}", or "-"
  unsigned status = 0;
  std::uint64_t bytesIn = 0;
  std::uint64_t bytesOut = 0;
  double milliseconds = 0;
  std::string_view principal;  // device or user id; empty means unknown
  int problemCode = 0;         // set when the request ended in a problem; 0 otherwise
};

// {"ts","method","route","status","bytes_in","bytes_out","ms","principal"[,"problem"]}.
std::string formatAccessLog(const AccessLogEntry& entry);
void writeAccessLog(const AccessLogEntry& entry);

}  // namespace opcat::server
