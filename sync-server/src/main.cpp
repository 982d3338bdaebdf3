// opcat-server: wiring only. Parses the command line, takes the data folder, builds the metrics,
// the router with its resources and the HTTP server, and runs it until SIGTERM or SIGINT.
#include <csignal>
#include <iostream>
#include <string>
#include <vector>

#ifdef OPCAT_WITH_TCMALLOC
#include <gperftools/malloc_extension.h>
#endif

#include "admin/admin_main.h"
#include "db/sqlite_server_store.h"
#include "http/blob_resource.h"
#include "http/console_auth_resource.h"
#include "http/health_resource.h"
#include "http/http_server.h"
#include "http/metrics_resource.h"
#include "http/router.h"
#include "http/sync_resource.h"
#include "service/blob_service.h"
#include "service/command_line.h"
#include "service/data_dir.h"
#include "service/enrollment_service.h"
#include "service/http_metrics.h"
#include "service/log.h"
#include "service/login_service.h"
#include "service/metrics_registry.h"
#include "service/process_limits.h"
#include "service/server_config.h"
#include "service/sync_service.h"
#include "sync/hlc.h"

#ifdef OPCAT_TEST_ROUTES
// Extra routes of the integration tests' server build (tests/integration/test_routes.cpp).
namespace opcat::server::testing {
void addTestRoutes(http::Router& router);
}
#endif

namespace {

using namespace opcat::server;

constexpr int kExitFailure = 1;  // the server failed while starting or running
constexpr int kExitUsage = 2;    // bad arguments, settings or data folder: nothing was started

int fail(int exitCode, const std::string& message) {
  std::cerr << "opcat-server: " << message << std::endl;
  return exitCode;
}

http::HttpServerOptions httpOptions(const ServerConfig& config) {
  http::HttpServerOptions options;
  options.host = config.listenHost;
  options.port = config.listenPort;
  options.tlsCertFile = config.tlsCertFile;
  options.tlsKeyFile = config.tlsKeyFile;
  options.maxBodyBytes = config.maxBodyBytes;
  options.maxHeaderBytes = config.maxHeaderBytes;
  options.headerTimeout = config.headerTimeout;
  options.bodyIdleTimeout = config.bodyIdleTimeout;
  options.shutdownTimeout = config.shutdownTimeout;
  options.ioThreads = config.ioThreads;
  options.workerThreads = config.workerThreads;
  options.maxConnections = config.maxConnections;
  return options;
}

// tcmalloc keeps up to 32 MiB of freed memory in per-thread caches by default; pulls of large
// pages on different worker threads would each hold on to theirs. 4 MiB in all costs no
// measurable throughput (server_ingest_bench) and keeps the peak well below the budget.
void limitAllocatorCaches() {
#ifdef OPCAT_WITH_TCMALLOC
  MallocExtension::instance()->SetNumericProperty("tcmalloc.max_total_thread_cache_bytes",
                                                  std::size_t{4} << 20);
#endif
}

int serve(const CommandLine& commandLine) {
  limitAllocatorCaches();
  opcat::Result<ServerConfig> config = buildServeConfig(commandLine);
  if (!config) return fail(kExitUsage, config.status().message());
  opcat::Result<std::unique_ptr<DataDir>> dataDir = DataDir::open(config->dataDir);
  if (!dataDir) return fail(kExitUsage, dataDir.status().message());

  if (const std::string warning = raiseOpenFileLimit(config->maxConnections); !warning.empty()) {
    logEvent("warn", "open_file_limit", warning);
  }

  auto store = db::openSqliteServerStore((*dataDir)->path());
  if (!store) return fail(kExitFailure, "cannot open the store: " + store.status().message());
  const auto now = &opcat::sync::HybridClock::systemWallClockMs;
  SyncService sync(**store, now);
  EnrollmentService enrollment(**store, now);
  BlobService blobs((*dataDir)->path(), config->maxBlobBytes);
  LoginService logins(**store, now, std::chrono::milliseconds(config->consoleSessionTtl).count(),
                      std::chrono::milliseconds(config->consoleIdleTimeout).count());

  MetricsRegistry metrics;
  registerProcessMetrics(metrics, OPCAT_SERVER_VERSION);
  HttpMetrics httpMetrics(metrics);

  http::Router router;
  http::addHealthResource(router);
  http::addMetricsResource(router, metrics, config->metricsTokenSha256);
  http::addSyncResource(router, **store, enrollment, sync);
  http::addBlobResource(router, **store, blobs);
  http::addConsoleAuthResource(router, **store, logins);
#ifdef OPCAT_TEST_ROUTES
  testing::addTestRoutes(router);
#endif

  http::HttpServer server(httpOptions(*config), router, httpMetrics);
  if (opcat::Status status = server.listen(); !status) {
    return fail(status.code() == opcat::StatusCode::kInvalidArgument ? kExitUsage : kExitFailure,
                status.message());
  }
  // Tests and scripts wait for exactly this line.
  std::cout << "listening on " << server.url() << std::endl;
  server.run();
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  std::signal(SIGPIPE, SIG_IGN);  // a closed stdout or log pipe must not kill the server
  const CommandLine commandLine = parseCommandLine(std::vector<std::string>(argv + 1, argv + argc));
  switch (commandLine.kind) {
    case CommandLine::Kind::kHelp:
      std::cout << usageText();
      return 0;
    case CommandLine::Kind::kServeHelp:
      std::cout << serveUsageText();
      return 0;
    case CommandLine::Kind::kAdmin:
      return admin::runAdmin(commandLine.adminArgs, std::cin, std::cout, std::cerr);
    case CommandLine::Kind::kError:
      std::cerr << "opcat-server: " << commandLine.error << "\n" << usageLine() << std::endl;
      return kExitUsage;
    case CommandLine::Kind::kServe:
      break;
  }
  return serve(commandLine);
}
