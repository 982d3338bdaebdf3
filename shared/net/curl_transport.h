// CurlTransport: the production HttpTransport over libcurl, for the tablet's sync client on
// slow and hostile networks. It insists on TLS 1.2 or newer with certificate and host name
// verification, checks the server's public key against the configured pins before any request
// byte is sent, keeps one connection alive across requests, and bounds every wait and size.
//
// Proxies: libcurl's environment variables are honoured (https_proxy / HTTPS_PROXY,
// http_proxy, all_proxy, no_proxy), as a facility or operator network may require one. TLS
// still runs end to end through the proxy's CONNECT tunnel, so verification and pinning apply
// to the opcat-server itself; a proxy with its own CA cannot read or alter the traffic. Loopback
// URLs never go through a proxy.
//
// Logging: none. Status messages name the origin (scheme://host:port) and libcurl's reason,
// never a path, query, header, token or body.
#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <mutex>
#include <string>
#include <vector>

#include "core/status.h"
#include "net/http_transport.h"

namespace opcat::net {

struct CurlOptions {
  // Pinned server public keys, each "sha256//" + base64 of the SHA-256 of the DER
  // SubjectPublicKeyInfo (44 characters). Deploy the current key and a backup key, so that a
  // key rotation does not lock devices out. Empty: certificate verification only.
  std::vector<std::string> pins;
  // PEM file of the CA(s) to trust, e.g. the office-run CA. When set it replaces the system
  // store: only certificates issued by these CAs are accepted, so a CA installed on the device
  // by someone else (a facility proxy) is not. Empty: the system store.
  std::string caFile;
  std::chrono::milliseconds connectTimeout{10000};  // DNS + TCP + TLS handshake
  // A transfer slower than lowSpeedBytesPerSecond for lowSpeedTime fails with kTimeout. This,
  // not a total timeout, is what catches a dead mobile link without cutting slow uploads.
  // 0 bytes per second disables the check.
  long lowSpeedBytesPerSecond = 100;
  std::chrono::seconds lowSpeedTime{30};
  // A limit on the whole exchange; 0 means none (the low-speed limit still applies).
  std::chrono::milliseconds totalTimeout{0};
  // Largest response body accepted, counted after decompression (guards against gzip bombs).
  std::size_t maxResponseBytes = 64u * 1024u * 1024u;
  // Largest total size of the response headers accepted.
  std::size_t maxHeaderBytes = 64u * 1024u;
  // Allow http:// when the host is loopback (127.0.0.0/8, ::1, localhost); http:// anywhere
  // else is always refused before connecting.
  bool allowPlainHttpOnLoopback = true;
  std::string userAgent = "opcat-field";
};

// Checks the options on their own: pins well formed, sizes and timeouts positive. Ok or a
// netError (kTls for pins, kProtocol otherwise) with StatusCode::kInvalidArgument.
Status validateCurlOptions(const CurlOptions& options);

class CurlTransport final : public HttpTransport {
 public:
  // Initializes libcurl once per process. Invalid options (see validateCurlOptions) make every
  // send() fail with that error, before connecting. Throws std::bad_alloc only.
  explicit CurlTransport(CurlOptions options = {});
  ~CurlTransport() override;
  CurlTransport(const CurlTransport&) = delete;
  CurlTransport& operator=(const CurlTransport&) = delete;

  // See HttpTransport::send. Refuses, without connecting: invalid options, a URL libcurl
  // cannot parse, a scheme other than http(s), plain http:// to a non-loopback host, a method
  // that is not an upper-case token, header names that are not tokens and values with CR, LF
  // or NUL. Redirects are returned, not followed.
  Result<HttpReply> send(const HttpRequest& request) override;
  void cancel() override;

  const CurlOptions& options() const { return m_options; }

 private:
  Result<HttpReply> sendLocked(const HttpRequest& request);

  const CurlOptions m_options;
  const Status m_optionsStatus;
  const std::string m_pinList;  // the pins joined with ';', as CURLOPT_PINNEDPUBLICKEY wants
  void* m_easy = nullptr;       // CURL*: one handle, reused, so connections are reused
  void* m_multi = nullptr;      // CURLM*: drives m_easy so that cancel() can wake it at once

  std::mutex m_sendMutex;   // one send() at a time
  std::mutex m_stateMutex;  // guards m_inFlight against cancel()
  bool m_inFlight = false;
  std::atomic<bool> m_cancelRequested{false};
};

}  // namespace opcat::net
