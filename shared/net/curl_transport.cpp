#include "net/curl_transport.h"

#include <curl/curl.h>

#include <memory>
#include <new>
#include <string_view>
#include <utility>

#include "net/curl_checks.h"
#include "net/url_policy.h"

namespace opcat::net {
namespace {

constexpr int kPollMilliseconds = 1000;  // an upper bound only: cancel() wakes the poll at once

void initCurlOnce() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

CURL* easyOf(void* handle) { return static_cast<CURL*>(handle); }
CURLM* multiOf(void* handle) { return static_cast<CURLM*>(handle); }

struct UrlDeleter {
  void operator()(CURLU* url) const { curl_url_cleanup(url); }
};
using UrlHandle = std::unique_ptr<CURLU, UrlDeleter>;

struct HeaderListDeleter {
  void operator()(curl_slist* list) const { curl_slist_free_all(list); }
};
using HeaderList = std::unique_ptr<curl_slist, HeaderListDeleter>;

// One part of a parsed URL; empty when absent.
std::string urlPart(CURLU* url, CURLUPart part, unsigned int flags = 0) {
  char* text = nullptr;
  if (curl_url_get(url, part, &text, flags) != CURLUE_OK || text == nullptr) return {};
  std::string result(text);
  curl_free(text);
  return result;
}

// The state of one send(), shared with libcurl's callbacks. Callbacks never throw: libcurl is
// C, so a failure is a flag and a short write.
struct Exchange {
  HttpReply reply;
  std::size_t maxBodyBytes = 0;
  std::size_t maxHeaderBytes = 0;
  std::size_t headerBytes = 0;
  bool tooLarge = false;
  bool outOfMemory = false;
  const std::atomic<bool>* cancelRequested = nullptr;
  char errorBuffer[CURL_ERROR_SIZE] = {};
};

std::size_t onBody(char* data, std::size_t size, std::size_t count, void* user) {
  auto* exchange = static_cast<Exchange*>(user);
  const std::size_t bytes = size * count;
  if (bytes > exchange->maxBodyBytes - exchange->reply.body.size()) {
    exchange->tooLarge = true;
    return 0;  // any short count makes libcurl stop with CURLE_WRITE_ERROR
  }
  try {
    exchange->reply.body.append(data, bytes);
  } catch (const std::bad_alloc&) {
    exchange->outOfMemory = true;
    return 0;
  }
  return bytes;
}

std::size_t onHeader(char* data, std::size_t size, std::size_t count, void* user) {
  auto* exchange = static_cast<Exchange*>(user);
  const std::size_t bytes = size * count;
  exchange->headerBytes += bytes;
  if (exchange->headerBytes > exchange->maxHeaderBytes) {
    exchange->tooLarge = true;
    return 0;
  }
  std::string_view line(data, bytes);
  if (line.rfind("HTTP/", 0) == 0) {
    exchange->reply.headers.clear();  // a new response begins (after 100 Continue)
    return bytes;
  }
  while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.remove_suffix(1);
  const std::size_t colon = line.find(':');
  if (colon == std::string_view::npos) return bytes;
  std::string_view value = line.substr(colon + 1);
  while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
  while (!value.empty() && (value.back() == ' ' || value.back() == '\t')) value.remove_suffix(1);
  try {
    exchange->reply.headers.emplace_back(std::string(line.substr(0, colon)), std::string(value));
  } catch (const std::bad_alloc&) {
    exchange->outOfMemory = true;
    return 0;
  }
  return bytes;
}

int onProgress(void* user, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
  const auto* exchange = static_cast<const Exchange*>(user);
  return exchange->cancelRequested->load() ? 1 : 0;  // non-zero aborts the transfer
}

// Everything libcurl needs for one request. The URL handle, header list and request stay
// alive until the transfer ends.
CURLcode configure(CURL* easy, CURLU* url, const HttpRequest& request, const CurlOptions& options,
                   const std::string& pinList, bool loopback, curl_slist* headers,
                   Exchange& exchange) {
  curl_easy_reset(easy);  // forgets the last request's options, keeps the connection cache
  CURLcode rc = CURLE_OK;
  const auto check = [&rc](CURLcode code) {
    if (rc == CURLE_OK) rc = code;
  };
  check(curl_easy_setopt(easy, CURLOPT_CURLU, url));
  check(curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L));
  check(curl_easy_setopt(easy, CURLOPT_ERRORBUFFER, exchange.errorBuffer));
  check(curl_easy_setopt(easy, CURLOPT_PROTOCOLS_STR, "http,https"));
  check(curl_easy_setopt(easy, CURLOPT_REDIR_PROTOCOLS_STR, "https"));
  check(curl_easy_setopt(easy, CURLOPT_FOLLOWLOCATION, 0L));
  // TLS: verify chain and host name, TLS 1.2 at least, then the pins.
  check(curl_easy_setopt(easy, CURLOPT_SSL_VERIFYPEER, 1L));
  check(curl_easy_setopt(easy, CURLOPT_SSL_VERIFYHOST, 2L));
  check(curl_easy_setopt(easy, CURLOPT_SSLVERSION, static_cast<long>(CURL_SSLVERSION_TLSv1_2)));
  if (!pinList.empty()) check(curl_easy_setopt(easy, CURLOPT_PINNEDPUBLICKEY, pinList.c_str()));
  if (!options.caFile.empty()) {
    check(curl_easy_setopt(easy, CURLOPT_CAINFO, options.caFile.c_str()));
    check(curl_easy_setopt(easy, CURLOPT_CAPATH, nullptr));  // only the given CAs
  }
  // The server speaks HTTP/1.1; one sequential stream gains nothing from HTTP/2.
  check(curl_easy_setopt(easy, CURLOPT_HTTP_VERSION, static_cast<long>(CURL_HTTP_VERSION_1_1)));
  check(curl_easy_setopt(easy, CURLOPT_ACCEPT_ENCODING, ""));  // every decoder libcurl has
  check(curl_easy_setopt(easy, CURLOPT_USERAGENT, options.userAgent.c_str()));
  // Proxies come from the environment (libcurl's default); a loopback host never needs one.
  if (loopback) check(curl_easy_setopt(easy, CURLOPT_NOPROXY, "*"));
  // Bounds on waiting and size.
  check(curl_easy_setopt(easy, CURLOPT_CONNECTTIMEOUT_MS,
                         static_cast<long>(options.connectTimeout.count())));
  if (options.totalTimeout.count() > 0) {
    check(curl_easy_setopt(easy, CURLOPT_TIMEOUT_MS,
                           static_cast<long>(options.totalTimeout.count())));
  }
  check(curl_easy_setopt(easy, CURLOPT_LOW_SPEED_LIMIT, options.lowSpeedBytesPerSecond));
  check(curl_easy_setopt(easy, CURLOPT_LOW_SPEED_TIME,
                         static_cast<long>(options.lowSpeedTime.count())));
  check(curl_easy_setopt(easy, CURLOPT_MAXFILESIZE_LARGE,
                         static_cast<curl_off_t>(options.maxResponseBytes)));
  check(curl_easy_setopt(easy, CURLOPT_TCP_KEEPALIVE, 1L));
  check(curl_easy_setopt(easy, CURLOPT_TCP_KEEPIDLE, 30L));
  check(curl_easy_setopt(easy, CURLOPT_TCP_KEEPINTVL, 15L));
  // Callbacks.
  check(curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, onBody));
  check(curl_easy_setopt(easy, CURLOPT_WRITEDATA, &exchange));
  check(curl_easy_setopt(easy, CURLOPT_HEADERFUNCTION, onHeader));
  check(curl_easy_setopt(easy, CURLOPT_HEADERDATA, &exchange));
  check(curl_easy_setopt(easy, CURLOPT_NOPROGRESS, 0L));
  check(curl_easy_setopt(easy, CURLOPT_XFERINFOFUNCTION, onProgress));
  check(curl_easy_setopt(easy, CURLOPT_XFERINFODATA, &exchange));
  // Method and body.
  const std::string& method = request.method;
  const bool sendsBody =
      !request.body.empty() || method == "POST" || method == "PUT" || method == "PATCH";
  if (method == "HEAD" && !sendsBody) {
    check(curl_easy_setopt(easy, CURLOPT_NOBODY, 1L));
  } else if (sendsBody) {
    check(curl_easy_setopt(easy, CURLOPT_POSTFIELDSIZE_LARGE,
                           static_cast<curl_off_t>(request.body.size())));
    check(curl_easy_setopt(easy, CURLOPT_POSTFIELDS, request.body.data()));
    if (method != "POST") check(curl_easy_setopt(easy, CURLOPT_CUSTOMREQUEST, method.c_str()));
  } else {
    check(curl_easy_setopt(easy, CURLOPT_HTTPGET, 1L));
    if (method != "GET") check(curl_easy_setopt(easy, CURLOPT_CUSTOMREQUEST, method.c_str()));
  }
  if (headers != nullptr) check(curl_easy_setopt(easy, CURLOPT_HTTPHEADER, headers));
  return rc;
}

// The request headers as libcurl lines. Without a Content-Type from the caller, an empty
// "Content-Type:" line stops libcurl from labelling a body as a form.
Result<HeaderList> headerLines(const HttpRequest& request) {
  HeaderList list;
  bool hasContentType = false;
  const auto append = [&list](const std::string& line) {
    curl_slist* grown = curl_slist_append(list.get(), line.c_str());
    if (grown == nullptr) return false;
    (void)list.release();
    list.reset(grown);
    return true;
  };
  for (const auto& [name, value] : request.headers) {
    OPCAT_RETURN_IF_ERROR(checkHeader(name, value));
    if (headerNameIs(name, "content-type")) hasContentType = true;
    // "Name;" is libcurl's way to send a header with an empty value.
    if (!append(value.empty() ? name + ";" : name + ": " + value)) {
      return netError(NetError::kProtocol, "out of memory building headers", StatusCode::kInternal);
    }
  }
  if (!hasContentType && !append("Content-Type:")) {
    return netError(NetError::kProtocol, "out of memory building headers", StatusCode::kInternal);
  }
  // libcurl asks large bodies to wait for "100 Continue", a round trip more on a slow link; the
  // server answers an unwanted body with an error anyway, so the body follows at once.
  if (!append("Expect:")) {
    return netError(NetError::kProtocol, "out of memory building headers", StatusCode::kInternal);
  }
  return list;
}

// Drives `easy` through `multi` until it finishes or `cancelRequested` becomes true.
CURLcode runTransfer(CURLM* multi, CURL* easy, const std::atomic<bool>& cancelRequested,
                     bool* cancelled) {
  if (curl_multi_add_handle(multi, easy) != CURLM_OK) return CURLE_FAILED_INIT;
  CURLcode result = CURLE_FAILED_INIT;
  for (;;) {
    int running = 0;
    if (curl_multi_perform(multi, &running) != CURLM_OK) break;
    bool done = false;
    int queued = 0;
    while (CURLMsg* message = curl_multi_info_read(multi, &queued)) {
      if (message->msg == CURLMSG_DONE && message->easy_handle == easy) {
        result = message->data.result;
        done = true;
      }
    }
    if (done || running == 0) break;
    if (cancelRequested.load()) {
      *cancelled = true;
      result = CURLE_ABORTED_BY_CALLBACK;
      break;
    }
    if (curl_multi_poll(multi, nullptr, 0, kPollMilliseconds, nullptr) != CURLM_OK) break;
  }
  curl_multi_remove_handle(multi, easy);  // an unfinished transfer's connection is closed
  return result;
}

}  // namespace

CurlTransport::CurlTransport(CurlOptions options)
    : m_options(std::move(options)),
      m_optionsStatus(validateCurlOptions(m_options)),
      m_pinList(joinPins(m_options.pins)) {
  initCurlOnce();
  m_easy = curl_easy_init();
  m_multi = curl_multi_init();
}

CurlTransport::~CurlTransport() {
  if (m_easy != nullptr) curl_easy_cleanup(easyOf(m_easy));
  if (m_multi != nullptr) curl_multi_cleanup(multiOf(m_multi));
}

void CurlTransport::cancel() {
  std::lock_guard<std::mutex> lock(m_stateMutex);
  if (!m_inFlight) return;
  m_cancelRequested = true;
  curl_multi_wakeup(multiOf(m_multi));
}

Result<HttpReply> CurlTransport::send(const HttpRequest& request) {
  std::lock_guard<std::mutex> lock(m_sendMutex);
  return sendLocked(request);
}

Result<HttpReply> CurlTransport::sendLocked(const HttpRequest& request) {
  if (!m_optionsStatus.isOk()) return m_optionsStatus;
  if (m_easy == nullptr || m_multi == nullptr) {
    return netError(NetError::kProtocol, "libcurl could not be initialized", StatusCode::kInternal);
  }
  // Parse once; libcurl connects to exactly the URL judged here (CURLOPT_CURLU).
  UrlHandle url(curl_url());
  if (url == nullptr) {
    return netError(NetError::kProtocol, "out of memory parsing the URL", StatusCode::kInternal);
  }
  const CURLUcode parsed = curl_url_set(url.get(), CURLUPART_URL, request.url.c_str(), 0);
  if (parsed != CURLUE_OK) {
    return netError(NetError::kProtocol,
                    std::string("the URL is not valid: ") + curl_url_strerror(parsed),
                    StatusCode::kInvalidArgument);
  }
  const std::string host = urlPart(url.get(), CURLUPART_HOST);
  OPCAT_RETURN_IF_ERROR(checkSchemeAndHost(urlPart(url.get(), CURLUPART_SCHEME), host,
                                           m_options.allowPlainHttpOnLoopback));
  OPCAT_RETURN_IF_ERROR(checkMethod(request.method));
  Result<HeaderList> headers = headerLines(request);
  if (!headers.isOk()) return headers.status();

  Exchange exchange;
  exchange.maxBodyBytes = m_options.maxResponseBytes;
  exchange.maxHeaderBytes = m_options.maxHeaderBytes;
  exchange.cancelRequested = &m_cancelRequested;
  CURL* easy = easyOf(m_easy);
  const CURLcode configured = configure(easy, url.get(), request, m_options, m_pinList,
                                        isLoopbackHost(host), headers->get(), exchange);
  if (configured != CURLE_OK) {
    return netError(NetError::kProtocol,
                    std::string("libcurl refused an option: ") + curl_easy_strerror(configured),
                    StatusCode::kInternal);
  }

  {
    std::lock_guard<std::mutex> lock(m_stateMutex);
    m_cancelRequested = false;
    m_inFlight = true;
  }
  bool cancelled = false;
  const CURLcode result = runTransfer(multiOf(m_multi), easy, m_cancelRequested, &cancelled);
  {
    std::lock_guard<std::mutex> lock(m_stateMutex);
    m_inFlight = false;
    cancelled = cancelled || (result != CURLE_OK && m_cancelRequested.load());
    m_cancelRequested = false;
  }

  curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &exchange.reply.status);
  // The handle must not keep pointers to this call's exchange, URL and headers.
  curl_easy_reset(easy);
  if (result == CURLE_OK && !exchange.tooLarge && !exchange.outOfMemory) {
    return std::move(exchange.reply);
  }
  TransferFailure failure;
  failure.code = result;
  failure.cancelled = cancelled;
  failure.tooLarge = exchange.tooLarge;
  failure.outOfMemory = exchange.outOfMemory;
  failure.detail = exchange.errorBuffer;
  failure.origin = urlPart(url.get(), CURLUPART_SCHEME) + "://" + host + ":" +
                   urlPart(url.get(), CURLUPART_PORT, CURLU_DEFAULT_PORT);
  failure.path = urlPart(url.get(), CURLUPART_PATH);
  failure.query = urlPart(url.get(), CURLUPART_QUERY);
  failure.pinCount = m_options.pins.size();
  failure.maxResponseBytes = m_options.maxResponseBytes;
  return failureStatus(failure);
}

}  // namespace opcat::net
