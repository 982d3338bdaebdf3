// HttpClient: a small libcurl client for tests, talking to a real server over real sockets.
// One client keeps one connection alive between requests, like a tablet does.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace opcat::testing {

using HttpHeaders = std::vector<std::pair<std::string, std::string>>;

struct HttpResponse {
  long status = 0;      // 0 when no response arrived; see error
  HttpHeaders headers;  // of the final response, as received
  std::string body;
  std::string error;  // libcurl's message when the request failed

  // The first header called `name` (case-insensitive).
  std::optional<std::string> header(std::string_view name) const;
};

struct HttpClientOptions {
  std::string caFile;           // PEM certificates to trust for https; empty: the system store
  std::string pinnedPublicKey;  // CURLOPT_PINNEDPUBLICKEY, e.g. "sha256//AAA=;sha256//BBB="
  bool verifyPeer = true;
  std::chrono::milliseconds timeout{10000};
  std::chrono::milliseconds connectTimeout{5000};
};

class HttpClient {
 public:
  explicit HttpClient(HttpClientOptions options = {});
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  // Sends one request; `body` is sent when not empty (any method). Never throws for network
  // errors: they come back as status 0 with `error` set.
  HttpResponse request(std::string_view method, const std::string& url,
                       const std::string& body = {}, const HttpHeaders& headers = {});
  HttpResponse get(const std::string& url, const HttpHeaders& headers = {}) {
    return request("GET", url, {}, headers);
  }
  HttpResponse post(const std::string& url, const std::string& body,
                    const std::string& contentType = "application/json") {
    return request("POST", url, body, {{"Content-Type", contentType}});
  }

 private:
  HttpClientOptions m_options;
  void* m_curl = nullptr;  // CURL*, kept out of this header
};

}  // namespace opcat::testing
