// clang-format off
#include <utility>  // first: Boost 1.74's awaitable.hpp uses std::exchange without including it
// clang-format on

#include "http/http_server.h"

#include <array>
#include <atomic>
// GCC 12 at -O2 reports -Wnull-dereference inside Asio's scheduler once it is inlined here,
// where the system-header exemption no longer applies; the warning stays on for our own code.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wnull-dereference"
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#pragma GCC diagnostic pop
#include <csignal>
#include <mutex>
#include <optional>
#include <thread>
#include <type_traits>
#include <unordered_set>
#include <vector>

#include "core/ascii.h"
#include "http/problem.h"
#include "http/tls_context.h"
#include "service/log.h"

namespace opcat::server::http {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;
using ErrorCode = boost::system::error_code;
using BeastRequest = bhttp::request<bhttp::string_body>;

constexpr std::size_t kFirstReadBytes = 4096;
constexpr std::size_t kBodyReadBytes = 64 * 1024;
constexpr auto kTlsShutdownTimeout = std::chrono::seconds(5);
// After an error reply the rest of the request is read and dropped for a moment, so closing the
// socket does not reset the connection before the client has read the reply.
constexpr auto kLingerTimeout = std::chrono::seconds(2);
constexpr std::size_t kLingerMaxBytes = 1024 * 1024;
constexpr auto kAcceptRetryDelay = std::chrono::milliseconds(100);
constexpr auto kDrainPollInterval = std::chrono::milliseconds(20);

auto withError(ErrorCode& ec) { return asio::redirect_error(asio::use_awaitable, ec); }

std::string_view view(beast::string_view text) { return {text.data(), text.size()}; }

// One open connection as the shutdown logic sees it. Touched only on the connection's strand.
struct Connection {
  explicit Connection(asio::any_io_executor ex) : executor(std::move(ex)) {}
  asio::any_io_executor executor;
  bool idle = true;              // waiting for the first byte of a request
  std::function<void()> cancel;  // cancels pending I/O; empty while no stream exists
};

// Sets Connection::cancel for the lifetime of one stream.
class CancelRegistration {
 public:
  CancelRegistration(Connection& connection, std::function<void()> cancel)
      : m_connection(connection) {
    m_connection.cancel = std::move(cancel);
  }
  ~CancelRegistration() { m_connection.cancel = nullptr; }
  CancelRegistration(const CancelRegistration&) = delete;
  CancelRegistration& operator=(const CancelRegistration&) = delete;

 private:
  Connection& m_connection;
};

// What one request/response exchange did, for the access log and the metrics.
struct Exchange {
  Clock::time_point started = Clock::now();
  std::string method = "-";
  std::string route = "-";
  unsigned status = 0;
  int problemCode = 0;
  std::string principal;
  std::uint64_t bytesIn = 0;
  std::uint64_t bytesOut = 0;
};

// The problem to report for a failed read, or nullopt when the peer simply went away.
std::optional<ProblemCode> classifyReadError(const ErrorCode& ec, bool headerDone) {
  if (ec == beast::error::timeout) {
    return headerDone ? ProblemCode::kBodyTimeout : ProblemCode::kHeaderTimeout;
  }
  if (ec == bhttp::error::body_limit) return ProblemCode::kBodyTooLarge;
  if (ec == bhttp::error::header_limit) return ProblemCode::kHeaderTooLarge;
  if (ec == bhttp::error::end_of_stream || ec == bhttp::error::partial_message) return std::nullopt;
  if (ec.category() == bhttp::make_error_code(bhttp::error::bad_method).category()) {
    return ProblemCode::kMalformedRequest;
  }
  return std::nullopt;
}

std::string_view pathOf(std::string_view target) { return target.substr(0, target.find('?')); }

Request toRequest(BeastRequest&& message, const std::string& remoteAddress, bool secure) {
  Request request;
  request.method = std::string(view(message.method_string()));
  const std::string_view target = view(message.target());
  request.path = std::string(pathOf(target));
  if (request.path.size() < target.size())
    request.query = std::string(target.substr(request.path.size() + 1));
  for (const auto& field : message) {
    request.headers.emplace_back(std::string(view(field.name_string())),
                                 std::string(view(field.value())));
  }
  request.body = std::move(message.body());
  request.remoteAddress = remoteAddress;
  request.secure = secure;
  return request;
}

bool hasHeader(const Response& response, std::string_view name) {
  for (const auto& [key, value] : response.headers) {
    if (equalsIgnoringAsciiCase(key, name)) return true;
  }
  return false;
}

}  // namespace

class HttpServer::Impl {
 public:
  Impl(HttpServerOptions options, const Router& router, HttpMetrics& metrics)
      : m_options(std::move(options)),
        m_router(router),
        m_metrics(metrics),
        m_workers(m_options.workerThreads),
        m_ioc(static_cast<int>(m_options.ioThreads)),
        m_control(asio::make_strand(m_ioc)),
        m_acceptor(m_control),
        m_signals(m_control) {}
  // After a forced stop, connection coroutines are still suspended; the io_context destroys
  // them with itself. Their Connection records hold strand executors, which must go before the
  // io_context's services do, so the registry lets go of them first.
  ~Impl() {
    std::lock_guard lock(m_connectionsMutex);
    m_connections.clear();
  }
  Impl(const Impl&) = delete;
  Impl& operator=(const Impl&) = delete;

  Status listen();
  std::string url() const { return m_url; }
  void run();
  void requestStop() {
    asio::post(m_control, [this] { beginStop(); });
  }
  void addShutdownHook(std::function<void()> hook) { m_hooks.push_back(std::move(hook)); }

 private:
  asio::awaitable<void> acceptLoop();
  asio::awaitable<void> serveConnection(tcp::socket socket);
  template <class Stream>
  asio::awaitable<void> serveRequests(Stream& stream, Connection& connection,
                                      const std::string& remoteAddress);
  template <class Stream>
  asio::awaitable<void> writeResponse(Stream& stream, Response response, bool keepAlive,
                                      Exchange& exchange, ErrorCode& ec);
  asio::awaitable<void> lingerClose(beast::tcp_stream& stream);
  asio::awaitable<void> drain();
  void waitForSignal();
  void beginStop();
  void closeIdleConnections();
  void finish(const Exchange& exchange);

  // Declared before m_ioc: connection coroutines still suspended when the io_context is
  // destroyed (after a forced stop) touch these while they unwind.
  HttpServerOptions m_options;
  const Router& m_router;
  HttpMetrics& m_metrics;
  std::shared_ptr<asio::ssl::context> m_tls;
  std::atomic<bool> m_stopping{false};
  std::atomic<bool> m_forceStop{false};
  std::atomic<std::uint32_t> m_open{0};
  std::mutex m_connectionsMutex;
  std::unordered_set<std::shared_ptr<Connection>> m_connections;
  std::vector<std::function<void()>> m_hooks;
  std::string m_url;
  asio::thread_pool m_workers;

  asio::io_context m_ioc;
  asio::strand<asio::io_context::executor_type> m_control;  // acceptor, signals, shutdown
  tcp::acceptor m_acceptor;
  asio::signal_set m_signals;
};

Status HttpServer::Impl::listen() {
  if (!m_options.tlsCertFile.empty()) {
    auto context = makeServerTlsContext(m_options.tlsCertFile, m_options.tlsKeyFile);
    if (!context) return context.status();
    m_tls = std::move(context.value());
  }
  ErrorCode ec;
  const asio::ip::address address = asio::ip::make_address(m_options.host, ec);
  if (ec) {
    return Status::error(StatusCode::kInvalidArgument, "not an IP address: " + m_options.host);
  }
  const tcp::endpoint endpoint(address, m_options.port);
  const std::string where = m_options.host + ":" + std::to_string(m_options.port);
  m_acceptor.open(endpoint.protocol(), ec);
  if (!ec) m_acceptor.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) m_acceptor.bind(endpoint, ec);
  if (!ec) m_acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec)
    return Status::error(StatusCode::kIoError, "cannot listen on " + where + ": " + ec.message());
  const tcp::endpoint local = m_acceptor.local_endpoint(ec);
  if (ec) return Status::error(StatusCode::kIoError, "cannot read the bound port: " + ec.message());

  const std::string host = address.is_v6() ? "[" + address.to_string() + "]" : address.to_string();
  m_url = std::string(m_tls ? "https://" : "http://") + host + ":" + std::to_string(local.port());

  m_signals.add(SIGINT, ec);
  if (!ec) m_signals.add(SIGTERM, ec);
  if (ec) return Status::error(StatusCode::kInternal, "cannot catch signals: " + ec.message());
  waitForSignal();
  asio::co_spawn(m_control, acceptLoop(), asio::detached);
  return Status::ok();
}

void HttpServer::Impl::run() {
  std::vector<std::thread> threads;
  for (unsigned i = 1; i < m_options.ioThreads; ++i) threads.emplace_back([this] { m_ioc.run(); });
  m_ioc.run();
  for (std::thread& thread : threads) thread.join();
  // Handlers still running (only after a forced stop) finish before the store closes.
  m_workers.join();
  for (auto hook = m_hooks.rbegin(); hook != m_hooks.rend(); ++hook) (*hook)();
  logEvent("info", "stopped");
}

void HttpServer::Impl::waitForSignal() {
  m_signals.async_wait([this](const ErrorCode& ec, int) {
    if (ec) return;  // cancelled once the drain is over
    if (m_stopping) {
      m_forceStop = true;  // a second signal: stop waiting for requests in flight
      return;
    }
    beginStop();
    waitForSignal();
  });
}

void HttpServer::Impl::beginStop() {
  if (m_stopping.exchange(true)) return;
  logEvent("info", "stopping", std::to_string(m_open.load()) + " connections open");
  ErrorCode ignored;
  m_acceptor.close(ignored);
  closeIdleConnections();
  asio::co_spawn(m_control, drain(), asio::detached);
}

void HttpServer::Impl::closeIdleConnections() {
  std::lock_guard lock(m_connectionsMutex);
  for (const std::shared_ptr<Connection>& connection : m_connections) {
    // A busy connection notices m_stopping after its response and closes itself.
    asio::post(connection->executor, [connection] {
      if (connection->idle && connection->cancel) connection->cancel();
    });
  }
}

asio::awaitable<void> HttpServer::Impl::drain() {
  const auto deadline = Clock::now() + m_options.shutdownTimeout;
  asio::steady_timer timer(m_control);
  while (m_open.load() > 0 && !m_forceStop && Clock::now() < deadline) {
    timer.expires_after(kDrainPollInterval);
    ErrorCode ignored;
    co_await timer.async_wait(withError(ignored));
  }
  ErrorCode ignored;
  m_signals.cancel(ignored);
  if (m_open.load() > 0) {
    logEvent("warn", "stop_timeout", std::to_string(m_open.load()) + " connections dropped");
    m_ioc.stop();
  }
}

asio::awaitable<void> HttpServer::Impl::acceptLoop() {
  for (;;) {
    tcp::socket socket(asio::make_strand(m_ioc));
    ErrorCode ec;
    co_await m_acceptor.async_accept(socket, withError(ec));
    if (m_stopping || ec == asio::error::operation_aborted) co_return;
    if (ec) {
      // E.g. out of file descriptors: wait instead of spinning on the failing accept.
      logEvent("warn", "accept_failed", ec.message());
      asio::steady_timer timer(m_control, kAcceptRetryDelay);
      co_await timer.async_wait(withError(ec));
      continue;
    }
    if (m_open.load() >= m_options.maxConnections) {
      m_metrics.connectionRejected();
      socket.close(ec);
      continue;
    }
    ++m_open;
    m_metrics.connectionOpened();
    const asio::any_io_executor executor = socket.get_executor();
    asio::co_spawn(executor, serveConnection(std::move(socket)), asio::detached);
  }
}

asio::awaitable<void> HttpServer::Impl::serveConnection(tcp::socket socket) {
  auto connection = std::make_shared<Connection>(socket.get_executor());
  {
    std::lock_guard lock(m_connectionsMutex);
    m_connections.insert(connection);
  }
  ErrorCode ec;
  const tcp::endpoint peer = socket.remote_endpoint(ec);
  const std::string remoteAddress = ec ? "-" : peer.address().to_string();
  try {
    beast::tcp_stream plain(std::move(socket));
    if (m_tls) {
      beast::ssl_stream<beast::tcp_stream> stream(std::move(plain), *m_tls);
      CancelRegistration registration(*connection,
                                      [&stream] { beast::get_lowest_layer(stream).cancel(); });
      beast::get_lowest_layer(stream).expires_after(m_options.headerTimeout);
      co_await stream.async_handshake(asio::ssl::stream_base::server, withError(ec));
      if (!ec) {
        co_await serveRequests(stream, *connection, remoteAddress);
        // Send close_notify without waiting for the peer's (RFC 8446 6.1 allows it): an idle
        // client may not read for a long time, and a stop should not wait for it.
        SSL_set_shutdown(stream.native_handle(), SSL_RECEIVED_SHUTDOWN);
        beast::get_lowest_layer(stream).expires_after(kTlsShutdownTimeout);
        co_await stream.async_shutdown(withError(ec));
      }
    } else {
      CancelRegistration registration(*connection, [&plain] { plain.cancel(); });
      co_await serveRequests(plain, *connection, remoteAddress);
      plain.socket().shutdown(tcp::socket::shutdown_send, ec);
    }
  } catch (const std::exception&) {
    logEvent("error", "connection_failed", "unexpected exception while serving a connection");
  }
  {
    std::lock_guard lock(m_connectionsMutex);
    m_connections.erase(connection);
  }
  --m_open;
  m_metrics.connectionClosed();
}

template <class Stream>
asio::awaitable<void> HttpServer::Impl::serveRequests(Stream& stream, Connection& connection,
                                                      const std::string& remoteAddress) {
  constexpr bool kSecure = !std::is_same_v<Stream, beast::tcp_stream>;
  auto& lowest = beast::get_lowest_layer(stream);
  beast::flat_buffer buffer;
  ErrorCode ec;
  for (;;) {
    // The header timeout runs from the end of the previous exchange (or the accept), so an idle
    // keep-alive connection is closed after it too.
    const auto headerDeadline = Clock::now() + m_options.headerTimeout;
    if (buffer.size() == 0) {
      if (m_stopping) co_return;
      connection.idle = true;
      lowest.expires_at(headerDeadline);
      const std::size_t n =
          co_await stream.async_read_some(buffer.prepare(kFirstReadBytes), withError(ec));
      connection.idle = false;
      if (ec) co_return;  // closed by the peer, idle too long, or cancelled by a stop
      buffer.commit(n);
    }

    Exchange exchange;
    bhttp::request_parser<bhttp::string_body> parser;
    parser.header_limit(m_options.maxHeaderBytes);
    parser.body_limit(m_options.maxBodyBytes);
    lowest.expires_at(headerDeadline);
    exchange.bytesIn += co_await bhttp::async_read_header(stream, buffer, parser, withError(ec));
    if (!view(parser.get().target()).empty()) {
      // The request line was parsed (even if a header was refused): name the route now, so a
      // refused upload is logged under its route too.
      exchange.method = std::string(view(parser.get().method_string()));
      exchange.route = m_router.match(exchange.method, pathOf(view(parser.get().target()))).pattern;
    }
    if (!ec) {
      if (!parser.is_done() &&
          equalsIgnoringAsciiCase(view(parser.get()[bhttp::field::expect]), "100-continue")) {
        bhttp::response<bhttp::empty_body> proceed{bhttp::status::continue_, 11};
        lowest.expires_after(m_options.bodyIdleTimeout);
        exchange.bytesOut += co_await bhttp::async_write(stream, proceed, withError(ec));
      }
      if (const auto length = parser.content_length(); length && *length > kFirstReadBytes) {
        // Beast reads at most the buffer's free space at a time: without room, a 350 KB push
        // arrived in 4 KB reads, each a resumption of this coroutine. The room is given back
        // once the request is read.
        buffer.reserve(std::min<std::size_t>(*length, kBodyReadBytes));
      }
      while (!ec && !parser.is_done()) {
        lowest.expires_after(m_options.bodyIdleTimeout);
        exchange.bytesIn += co_await bhttp::async_read_some(stream, buffer, parser, withError(ec));
      }
    }
    if (ec) {
      const std::optional<ProblemCode> problem = classifyReadError(ec, parser.is_header_done());
      if (!problem) co_return;
      if (*problem == ProblemCode::kHeaderTimeout || *problem == ProblemCode::kBodyTimeout) {
        // The stream closed the socket on the timeout: log the exchange, no reply is possible.
        const Problem timeout = makeProblem(*problem);
        exchange.status = timeout.httpStatus;
        exchange.problemCode = timeout.code;
        finish(exchange);
        co_return;
      }
      co_await writeResponse(stream, problemResponse(*problem), false, exchange, ec);
      finish(exchange);
      if constexpr (!kSecure) {
        if (!ec) co_await lingerClose(stream);
      }
      co_return;
    }

    lowest.expires_never();  // the handler may take its time; the client is waiting
    if (buffer.size() == 0) buffer.shrink_to_fit();  // an idle connection holds no body room
    BeastRequest message = parser.release();
    const bool clientKeepsAlive = message.keep_alive();
    Request request = toRequest(std::move(message), remoteAddress, kSecure);
    Dispatched result = co_await asio::co_spawn(
        m_workers,
        [this, &request]() -> asio::awaitable<Dispatched> {
          co_return dispatch(m_router, std::move(request));
        },
        asio::use_awaitable);
    if (result.handlerThrew) logEvent("error", "handler_exception", "route " + result.route);
    exchange.route = std::move(result.route);
    const bool keepAlive = clientKeepsAlive && !m_stopping;
    co_await writeResponse(stream, std::move(result.response), keepAlive, exchange, ec);
    finish(exchange);
    if (ec || !keepAlive) co_return;
  }
}

template <class Stream>
asio::awaitable<void> HttpServer::Impl::writeResponse(Stream& stream, Response response,
                                                      bool keepAlive, Exchange& exchange,
                                                      ErrorCode& ec) {
  exchange.status = response.status;
  exchange.problemCode = response.problemCode;
  exchange.principal = std::move(response.principal);

  bhttp::response<bhttp::string_body> message;
  message.version(11);
  message.result(response.status);
  message.set(bhttp::field::content_type, response.contentType);
  // Replies may carry visit data: no cache may keep them unless a resource says otherwise.
  if (!hasHeader(response, "Cache-Control")) message.set(bhttp::field::cache_control, "no-store");
  message.set("X-Content-Type-Options", "nosniff");
  for (const auto& [name, value] : response.headers) message.insert(name, value);
  message.body() = std::move(response.body);
  message.keep_alive(keepAlive);
  message.prepare_payload();

  bhttp::response_serializer<bhttp::string_body> serializer(message);
  auto& lowest = beast::get_lowest_layer(stream);
  while (!serializer.is_done()) {
    lowest.expires_after(m_options.bodyIdleTimeout);
    exchange.bytesOut += co_await bhttp::async_write_some(stream, serializer, withError(ec));
    if (ec) co_return;
  }
}

asio::awaitable<void> HttpServer::Impl::lingerClose(beast::tcp_stream& stream) {
  ErrorCode ec;
  stream.socket().shutdown(tcp::socket::shutdown_send, ec);
  stream.expires_after(kLingerTimeout);
  std::array<char, 16 * 1024> discard{};
  std::size_t total = 0;
  while (!ec && total < kLingerMaxBytes) {
    total += co_await stream.async_read_some(asio::buffer(discard), withError(ec));
  }
}

void HttpServer::Impl::finish(const Exchange& exchange) {
  const double seconds = std::chrono::duration<double>(Clock::now() - exchange.started).count();
  m_metrics.requestFinished(exchange.route, exchange.method, exchange.status, seconds);
  m_metrics.bytesReceived(exchange.bytesIn);
  m_metrics.bytesSent(exchange.bytesOut);
  AccessLogEntry entry;
  entry.time = std::chrono::system_clock::now();
  entry.method = exchange.method;
  entry.route = exchange.route;
  entry.status = exchange.status;
  entry.bytesIn = exchange.bytesIn;
  entry.bytesOut = exchange.bytesOut;
  entry.milliseconds = seconds * 1000.0;
  entry.principal = exchange.principal;
  entry.problemCode = exchange.problemCode;
  writeAccessLog(entry);
}

HttpServer::HttpServer(HttpServerOptions options, const Router& router, HttpMetrics& metrics)
    : m_impl(std::make_unique<Impl>(std::move(options), router, metrics)) {}

HttpServer::~HttpServer() = default;

Status HttpServer::listen() { return m_impl->listen(); }
std::string HttpServer::url() const { return m_impl->url(); }
void HttpServer::run() { m_impl->run(); }
void HttpServer::requestStop() { m_impl->requestStop(); }
void HttpServer::addShutdownHook(std::function<void()> hook) {
  m_impl->addShutdownHook(std::move(hook));
}

}  // namespace opcat::server::http
