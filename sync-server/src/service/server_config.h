// ServerConfig: every setting of `opcat-server serve`, with its default. A setting comes from the
// defaults, then the config file (`key = value` lines), then command-line flags, all validated by
// the same setter so a value means the same wherever it was written.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/status.h"

namespace opcat::server {

struct ServerConfig {
  std::string listenHost = "127.0.0.1";  // an IP literal; IPv6 without brackets
  std::uint16_t listenPort = 8443;       // 0 binds a free port
  std::string dataDir;                   // required
  std::string tlsCertFile;               // PEM chain; with tlsKeyFile enables HTTPS
  std::string tlsKeyFile;
  bool insecureHttp = false;  // allow plain HTTP on a non-loopback address
  std::uint64_t maxBodyBytes = 16u * 1024 * 1024;
  std::uint64_t maxBlobBytes = 256u * 1024 * 1024;  // one attachment, uploaded in parts
  std::uint32_t maxHeaderBytes = 16u * 1024;
  std::chrono::seconds headerTimeout{30};    // connect (or previous response) to full headers
  std::chrono::seconds bodyIdleTimeout{60};  // longest pause while reading a body or writing
  std::chrono::seconds shutdownTimeout{10};  // how long requests in flight may finish
  unsigned ioThreads = 2;
  unsigned workerThreads = 4;
  std::uint32_t maxConnections = 10000;
  std::chrono::seconds consoleSessionTtl{8 * 3600};  // a console sign-in lasts this long at most
  // ...and ends after this long without a request (SECURITY.md: 15 minutes). Accepted from 1 s so
  // that tests run quickly; production should keep it at 60 s or more.
  std::chrono::seconds consoleIdleTimeout{15 * 60};
  // The hex SHA-256 of the bearer token a metrics scraper sends. Empty: GET /metrics answers only
  // clients on loopback (a Prometheus on the same host).
  std::string metricsTokenSha256;

  bool tlsEnabled() const { return !tlsCertFile.empty(); }
};

// Sets the setting called `key` (the config-file name, e.g. "max_body_bytes") from text.
// Fails with kInvalidArgument for an unknown key or a bad value; the message names the key but
// not the source (callers add file and line).
Status setConfigValue(ServerConfig& config, std::string_view key, std::string_view value);

// Applies `key = value` lines; '#' starts a comment, blank lines are ignored, a key may appear
// once. Errors read "<sourceName>:<line>: <what>".
Status applyConfigText(ServerConfig& config, std::string_view text, std::string_view sourceName);

// Reads `path` and applies it as above.
Status applyConfigFile(ServerConfig& config, const std::string& path);

// Checks the settings together: a data folder is given, TLS certificate and key come as a pair,
// and plain HTTP listens only on loopback unless insecure_http is set.
Status validateConfig(const ServerConfig& config);

// Parses "HOST:PORT" ("[::1]:8443" for IPv6). HOST must be an IP literal or "localhost".
Status parseListenAddress(std::string_view text, std::string* host, std::uint16_t* port);

// True for 127.0.0.0/8 and ::1 (and ::ffff:127.x.y.z).
bool isLoopbackAddress(std::string_view host);

}  // namespace opcat::server
