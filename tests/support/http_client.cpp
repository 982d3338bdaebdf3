#include "support/http_client.h"

#include <curl/curl.h>

#include <mutex>
#include <stdexcept>

#include "core/ascii.h"

namespace opcat::testing {
namespace {

std::size_t onBody(char* data, std::size_t size, std::size_t count, void* user) {
  static_cast<std::string*>(user)->append(data, size * count);
  return size * count;
}

std::size_t onHeader(char* data, std::size_t size, std::size_t count, void* user) {
  auto* headers = static_cast<HttpHeaders*>(user);
  std::string_view line(data, size * count);
  if (line.rfind("HTTP/", 0) == 0) {
    headers->clear();  // a new response begins (e.g. after 100 Continue)
    return size * count;
  }
  while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.remove_suffix(1);
  const std::size_t colon = line.find(':');
  if (colon != std::string_view::npos) {
    std::string_view value = line.substr(colon + 1);
    while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
    headers->emplace_back(std::string(line.substr(0, colon)), std::string(value));
  }
  return size * count;
}

}  // namespace

std::optional<std::string> HttpResponse::header(std::string_view name) const {
  for (const auto& [key, value] : headers) {
    if (equalsIgnoringAsciiCase(key, name)) return value;
  }
  return std::nullopt;
}

HttpClient::HttpClient(HttpClientOptions options) : m_options(std::move(options)) {
  static std::once_flag globalInit;
  std::call_once(globalInit, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
  m_curl = curl_easy_init();
  if (m_curl == nullptr) throw std::runtime_error("curl_easy_init failed");
}

HttpClient::~HttpClient() { curl_easy_cleanup(static_cast<CURL*>(m_curl)); }

HttpResponse HttpClient::request(std::string_view method, const std::string& url,
                                 const std::string& body, const HttpHeaders& headers) {
  CURL* curl = static_cast<CURL*>(m_curl);
  curl_easy_reset(curl);  // keeps the open connection for reuse
  HttpResponse response;
  char errorBuffer[CURL_ERROR_SIZE] = {};
  const std::string methodText(method);

  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, errorBuffer);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, static_cast<long>(m_options.timeout.count()));
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS,
                   static_cast<long>(m_options.connectTimeout.count()));
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, onBody);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &response.body);
  curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, onHeader);
  curl_easy_setopt(curl, CURLOPT_HEADERDATA, &response.headers);
  curl_easy_setopt(curl, CURLOPT_SSL_VERIFYPEER, m_options.verifyPeer ? 1L : 0L);
  curl_easy_setopt(curl, CURLOPT_SSL_VERIFYHOST, m_options.verifyPeer ? 2L : 0L);
  if (!m_options.caFile.empty()) curl_easy_setopt(curl, CURLOPT_CAINFO, m_options.caFile.c_str());
  if (!m_options.pinnedPublicKey.empty()) {
    curl_easy_setopt(curl, CURLOPT_PINNEDPUBLICKEY, m_options.pinnedPublicKey.c_str());
  }

  if (!body.empty()) {
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body.data());
    curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
  }
  if (methodText == "HEAD") {
    curl_easy_setopt(curl, CURLOPT_NOBODY, 1L);
  } else if (methodText == "GET" && body.empty()) {
    curl_easy_setopt(curl, CURLOPT_HTTPGET, 1L);
  } else if (methodText != "POST" || body.empty()) {
    curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, methodText.c_str());
  }

  curl_slist* headerList = nullptr;
  for (const auto& [name, value] : headers) {
    const std::string line = value.empty() ? name + ":" : name + ": " + value;
    headerList = curl_slist_append(headerList, line.c_str());
  }
  if (headerList != nullptr) curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headerList);

  const CURLcode result = curl_easy_perform(curl);
  if (result == CURLE_OK) {
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &response.status);
  } else {
    response.error = errorBuffer[0] != '\0' ? errorBuffer : curl_easy_strerror(result);
    response.status = 0;
  }
  curl_slist_free_all(headerList);
  return response;
}

}  // namespace opcat::testing
