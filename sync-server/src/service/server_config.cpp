#include "service/server_config.h"

#include <arpa/inet.h>

#include <algorithm>
#include <charconv>
#include <cstring>
#include <fstream>
#include <set>
#include <sstream>

#include "core/ascii.h"

namespace opcat::server {
namespace {

Status invalid(std::string message) {
  return Status::error(StatusCode::kInvalidArgument, std::move(message));
}

std::string_view trim(std::string_view text) {
  const char* whitespace = " \t\r";
  const std::size_t first = text.find_first_not_of(whitespace);
  if (first == std::string_view::npos) return {};
  const std::size_t last = text.find_last_not_of(whitespace);
  return text.substr(first, last - first + 1);
}

template <typename T>
Status parseUnsigned(std::string_view key, std::string_view value, T minimum, T maximum, T* out) {
  std::uint64_t parsed = 0;
  const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), parsed);
  if (ec != std::errc() || end != value.data() + value.size() || parsed < minimum ||
      parsed > maximum) {
    return invalid(std::string(key) + " must be a whole number from " + std::to_string(minimum) +
                   " to " + std::to_string(maximum) + ", not '" + std::string(value) + "'");
  }
  *out = static_cast<T>(parsed);
  return Status::ok();
}

Status parseSeconds(std::string_view key, std::string_view value, std::chrono::seconds* out) {
  std::uint32_t seconds = 0;
  OPCAT_RETURN_IF_ERROR(parseUnsigned<std::uint32_t>(key, value, 1, 86400, &seconds));
  *out = std::chrono::seconds(seconds);
  return Status::ok();
}

Status parseBool(std::string_view key, std::string_view value, bool* out) {
  if (value == "true" || value == "yes" || value == "1") {
    *out = true;
  } else if (value == "false" || value == "no" || value == "0") {
    *out = false;
  } else {
    return invalid(std::string(key) + " must be true or false, not '" + std::string(value) + "'");
  }
  return Status::ok();
}

Status parsePath(std::string_view key, std::string_view value, std::string* out) {
  if (value.empty()) return invalid(std::string(key) + " must not be empty");
  *out = std::string(value);
  return Status::ok();
}

}  // namespace

Status parseListenAddress(std::string_view text, std::string* host, std::uint16_t* port) {
  std::string_view hostPart;
  std::string_view portPart;
  if (!text.empty() && text.front() == '[') {
    const std::size_t close = text.find("]:");
    if (close == std::string_view::npos) {
      return invalid("listen address must be HOST:PORT or [IPv6]:PORT, not '" + std::string(text) +
                     "'");
    }
    hostPart = text.substr(1, close - 1);
    portPart = text.substr(close + 2);
  } else {
    const std::size_t colon = text.rfind(':');
    if (colon == std::string_view::npos || text.find(':') != colon) {
      return invalid("listen address must be HOST:PORT or [IPv6]:PORT, not '" + std::string(text) +
                     "'");
    }
    hostPart = text.substr(0, colon);
    portPart = text.substr(colon + 1);
  }
  std::string hostText(hostPart == "localhost" ? "127.0.0.1" : hostPart);
  unsigned char buffer[sizeof(in6_addr)];
  if (inet_pton(AF_INET, hostText.c_str(), buffer) != 1 &&
      inet_pton(AF_INET6, hostText.c_str(), buffer) != 1) {
    return invalid("listen host must be an IP address, not '" + std::string(hostPart) + "'");
  }
  std::uint16_t portNumber = 0;
  OPCAT_RETURN_IF_ERROR(
      parseUnsigned<std::uint16_t>("listen port", portPart, 0, 65535, &portNumber));
  *host = std::move(hostText);
  *port = portNumber;
  return Status::ok();
}

bool isLoopbackAddress(std::string_view host) {
  const std::string text(host);
  in_addr v4{};
  if (inet_pton(AF_INET, text.c_str(), &v4) == 1) {
    return (ntohl(v4.s_addr) >> 24) == 127;
  }
  in6_addr v6{};
  if (inet_pton(AF_INET6, text.c_str(), &v6) == 1) {
    if (IN6_IS_ADDR_LOOPBACK(&v6)) return true;
    return IN6_IS_ADDR_V4MAPPED(&v6) && v6.s6_addr[12] == 127;
  }
  return false;
}

Status setConfigValue(ServerConfig& config, std::string_view key, std::string_view value) {
  if (key == "listen") return parseListenAddress(value, &config.listenHost, &config.listenPort);
  if (key == "data") return parsePath(key, value, &config.dataDir);
  if (key == "tls_cert") return parsePath(key, value, &config.tlsCertFile);
  if (key == "tls_key") return parsePath(key, value, &config.tlsKeyFile);
  if (key == "insecure_http") return parseBool(key, value, &config.insecureHttp);
  if (key == "max_body_bytes") {
    return parseUnsigned<std::uint64_t>(key, value, 1, std::uint64_t{1} << 30,
                                        &config.maxBodyBytes);
  }
  if (key == "max_blob_bytes") {
    return parseUnsigned<std::uint64_t>(key, value, 1, std::uint64_t{1} << 40,
                                        &config.maxBlobBytes);
  }
  if (key == "max_header_bytes") {
    return parseUnsigned<std::uint32_t>(key, value, 1024, 1u << 20, &config.maxHeaderBytes);
  }
  if (key == "header_timeout_s") return parseSeconds(key, value, &config.headerTimeout);
  if (key == "body_idle_timeout_s") return parseSeconds(key, value, &config.bodyIdleTimeout);
  if (key == "shutdown_timeout_s") return parseSeconds(key, value, &config.shutdownTimeout);
  if (key == "io_threads") return parseUnsigned<unsigned>(key, value, 1, 64, &config.ioThreads);
  if (key == "worker_threads") {
    return parseUnsigned<unsigned>(key, value, 1, 256, &config.workerThreads);
  }
  if (key == "max_connections") {
    return parseUnsigned<std::uint32_t>(key, value, 1, 1000000, &config.maxConnections);
  }
  if (key == "console_session_ttl_s") return parseSeconds(key, value, &config.consoleSessionTtl);
  if (key == "console_idle_timeout_s") return parseSeconds(key, value, &config.consoleIdleTimeout);
  if (key == "metrics_token_sha256") {
    // The digest, not the token: the config file may be readable by more people than the token.
    const bool hex64 = value.size() == 64 && std::all_of(value.begin(), value.end(), [](char c) {
                         return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') ||
                                (c >= 'A' && c <= 'F');
                       });
    if (!hex64) {
      return invalid("metrics_token_sha256 must be 64 hex digits (sha256sum of the token)");
    }
    config.metricsTokenSha256.assign(value);
    std::transform(value.begin(), value.end(), config.metricsTokenSha256.begin(),
                   [](char c) { return asciiLower(c); });
    return Status::ok();
  }
  return invalid("unknown setting '" + std::string(key) + "'");
}

Status applyConfigText(ServerConfig& config, std::string_view text, std::string_view sourceName) {
  std::set<std::string, std::less<>> seen;
  std::size_t lineNumber = 0;
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    ++lineNumber;
    std::string_view line = text.substr(start, end - start);
    start = end + 1;
    if (const std::size_t hash = line.find('#'); hash != std::string_view::npos) {
      line = line.substr(0, hash);
    }
    line = trim(line);
    if (line.empty()) continue;
    const std::string where = std::string(sourceName) + ":" + std::to_string(lineNumber) + ": ";
    const std::size_t equals = line.find('=');
    if (equals == std::string_view::npos) return invalid(where + "expected 'key = value'");
    const std::string_view key = trim(line.substr(0, equals));
    const std::string_view value = trim(line.substr(equals + 1));
    if (!seen.insert(std::string(key)).second) {
      return invalid(where + "setting '" + std::string(key) + "' appears twice");
    }
    if (Status status = setConfigValue(config, key, value); !status) {
      return invalid(where + status.message());
    }
  }
  return Status::ok();
}

Status applyConfigFile(ServerConfig& config, const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  if (!file)
    return Status::error(StatusCode::kIoError,
                         "cannot read config file " + path + ": " + std::strerror(errno));
  std::ostringstream text;
  text << file.rdbuf();
  return applyConfigText(config, text.str(), path);
}

Status validateConfig(const ServerConfig& config) {
  if (config.dataDir.empty())
    return invalid("no data folder: give --data DIR or 'data' in the config file");
  if (config.tlsCertFile.empty() != config.tlsKeyFile.empty()) {
    return invalid("TLS needs both a certificate (--tls-cert) and a private key (--tls-key)");
  }
  if (!config.tlsEnabled() && !config.insecureHttp && !isLoopbackAddress(config.listenHost)) {
    return invalid("refusing plain HTTP on non-loopback address " + config.listenHost +
                   ": give --tls-cert and --tls-key, or --insecure-http if a TLS proxy in front "
                   "of this server terminates TLS");
  }
  return Status::ok();
}

}  // namespace opcat::server
