// HttpServer: accepts HTTP/1.1 connections (HTTPS when given a certificate), reads each request
// within the configured limits, runs its handler on a worker pool and writes the response.
// All Beast and Asio code stays behind this header.
//
// Threads: a few I/O threads run every connection as a coroutine, so a client trickling bytes
// holds no thread; handlers, which may block on SQLite, run on a separate worker pool and
// their result is posted back to the connection.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "core/status.h"
#include "http/router.h"
#include "service/http_metrics.h"

namespace opcat::server::http {

struct HttpServerOptions {
  std::string host = "127.0.0.1";  // IP literal
  std::uint16_t port = 0;          // 0: a free port, see HttpServer::url()
  std::string tlsCertFile;         // both set: HTTPS only
  std::string tlsKeyFile;
  std::uint64_t maxBodyBytes = 16u * 1024 * 1024;
  std::uint32_t maxHeaderBytes = 16u * 1024;
  // From accepting a connection (or finishing the previous response on a keep-alive connection)
  // to the end of the request headers; also bounds the TLS handshake.
  std::chrono::seconds headerTimeout{30};
  // Longest pause between bytes while reading a body or writing a response.
  std::chrono::seconds bodyIdleTimeout{60};
  // How long requests in flight may take to finish after a stop was requested.
  std::chrono::seconds shutdownTimeout{10};
  unsigned ioThreads = 2;
  unsigned workerThreads = 4;
  std::uint32_t maxConnections = 10000;  // further connections are closed at once
};

class HttpServer {
 public:
  // `router` and `metrics` must outlive the server; routes must all be added before listen().
  HttpServer(HttpServerOptions options, const Router& router, HttpMetrics& metrics);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Loads the TLS certificate, binds and listens, and from then on catches SIGTERM and SIGINT.
  // Fails with kInvalidArgument (bad address or certificate) or kIoError (bind failed).
  Status listen();

  // "http://127.0.0.1:8443" or "https://..." with the bound port. REQUIRES: listen() succeeded.
  std::string url() const;

  // Serves until SIGTERM, SIGINT or requestStop(); then stops accepting, closes idle keep-alive
  // connections, lets requests in flight finish (at most shutdownTimeout, after which the rest
  // are dropped), stops the worker pool and runs the shutdown hooks. A second signal during the
  // wait drops the remaining connections at once. REQUIRES: listen() succeeded.
  void run();

  // Begins the graceful stop described for run(). Thread-safe; may be called before run().
  void requestStop();

  // `hook` runs once in run(), after the last handler finished and before run() returns; hooks
  // run in reverse order of registration (the store registered first closes last).
  void addShutdownHook(std::function<void()> hook);

 private:
  class Impl;
  std::unique_ptr<Impl> m_impl;
};

}  // namespace opcat::server::http
