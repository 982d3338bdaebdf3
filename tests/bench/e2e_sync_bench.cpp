// End-to-end sync benchmark (prints figures; not a test): tablet store -> opcat-server -> a
// second, empty tablet store, through the tablet's real sync engine (encrypted SQLite stores,
// SyncEngine, CurlTransport) and the real server on 127.0.0.1. The server fsyncs every push
// before acknowledging it, the tablet every local edit; a pulled page and the acknowledgements
// commit atomically without waiting for the disk, since the server can redo them
// (storage::Durability::kRefetchable).
//   load   (not timed): N findings of ~1 KB saved on tablet 1 in batches (saveAll).
//   push   tablet 1 syncOnce: its outbox to the server (and its own changes back from the pull
//          that ends every sync).
//   pull   tablet 2, empty, syncOnce: everything into its store.
//   delta  tablet 1 edits 1 % and creates 1 % (not timed); push, then tablet 2 pulls.
//   single one edited finding pushed, then pulled: median of R rounds.
// Each phase: wall time, changes/s, requests and body bytes each way (SyncReport), and the CPU
// seconds of this process (both tablets) and of the server.
// With --peer DIR it then runs the PouchDB peer harness (a writable copy of DIR) on the same
// workload in the same sitting and prints both side by side with ratios.
// Usage: e2e_sync_bench [--findings N] [--single-edits N] [--batch N] [--seed N] [--dir DIR]
//          [--peer DIR] [--peer-work DIR] [--server BINARY]
#include <fcntl.h>
#include <signal.h>
#include <sodium.h>
#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "bench_util.h"
#include "peer_harness.h"
#include "core/uuid.h"
#include "net/curl_transport.h"
#include "seeded_server.h"
#include "server_bench.h"
#include "storage/outbox.h"
#include "storage/repositories.h"
#include "support/child_process.h"
#include "support/server_process.h"
#include "support/temp_dir.h"
#include "sync/client/sync_endpoint.h"
#include "sync/client/sync_engine.h"
#include "sync/codec/record_codec.h"

namespace opcat::bench {
namespace {

namespace fs = std::filesystem;

struct Options {
  std::string server = defaultServerBinary();
  int findings = 20000;
  int singleEdits = 10;
  int batch = 500;
  unsigned seed = 1;
  fs::path dir;
  fs::path peer;
  fs::path peerWork = fs::temp_directory_path() / "opcat-e2e-peer-pouchdb";
};

int usage(const char* argv0) {
  std::fprintf(stderr,
               "usage: %s [--findings N] [--single-edits N] [--batch N] [--seed N] [--dir DIR]\n"
               "          [--peer DIR] [--peer-work DIR] [--server BINARY]\n",
               argv0);
  return 2;
}

struct Tablet {
  std::unique_ptr<storage::TabletStore> store;
  std::unique_ptr<net::CurlTransport> transport;
  std::unique_ptr<sync::SyncEngine> engine;
};

// One timed sync and what it cost.
struct Phase {
  double seconds = 0;
  sync::SyncReport report;
  double clientCpu = 0;
  double serverCpu = 0;
};

Tablet makeTablet(const fs::path& dir, const std::string& url, const std::string& code,
                  const char* name) {
  storage::StoreOptions options;
  options.kdf = crypto::Argon2Params::fastForTests();  // unlocking is not what is measured
  auto store = storage::TabletStore::create(dir, "bench passphrase", options);
  if (!store) throw std::runtime_error("create store: " + store.status().toString());
  Tablet t;
  t.store = std::move(store).value();
  t.transport = std::make_unique<net::CurlTransport>();
  const Status enrolled = sync::enrollDevice(*t.store, *t.transport, url, code, name, {}, "");
  if (!enrolled.isOk()) throw std::runtime_error("enroll: " + enrolled.toString());
  auto endpoint = sync::loadEndpoint(*t.store);
  if (!endpoint) throw std::runtime_error(endpoint.status().toString());
  t.engine = std::make_unique<sync::SyncEngine>(*t.store, *t.transport, *endpoint);
  return t;
}

Phase timedSync(Tablet& t, pid_t server) {
  Phase p;
  const double cpu0 = cpuSeconds(::getpid()), server0 = cpuSeconds(server);
  const auto t0 = Clock::now();
  auto report = t.engine->syncOnce();
  p.seconds = msSince(t0) / 1000.0;
  p.clientCpu = cpuSeconds(::getpid()) - cpu0;
  p.serverCpu = cpuSeconds(server) - server0;
  if (!report) throw std::runtime_error("sync: " + report.status().toString());
  p.report = *report;
  return p;
}

void printPhase(const char* name, const Phase& p, std::size_t changes) {
  std::printf("  %-28s %8.3f s %10.0f changes/s  %4zu req  %10llu B up %10llu B down"
              "  cpu tablets %.2f s, server %.2f s\n",
              name, p.seconds, static_cast<double>(changes) / p.seconds, p.report.requests,
              static_cast<unsigned long long>(p.report.bytesSent),
              static_cast<unsigned long long>(p.report.bytesReceived), p.clientCpu, p.serverCpu);
}

struct Figures {
  int n = 0;
  double avgBytes = 0;
  Phase push, pull, deltaPush, deltaPull;
  std::size_t deltaChanges = 0;
  double singlePushMs = 0, singlePullMs = 0;
  double singlePushUp = 0, singlePushDown = 0, singlePullUp = 0, singlePullDown = 0;
  double serverPeakMiB = 0, clientPeakMiB = 0;
};

Figures run(const Options& options) {
  testing::TempDir temp("opcat-e2e-bench");
  const fs::path root = options.dir.empty() ? temp.path() : options.dir;
  std::printf("Opcat Field end-to-end sync benchmark: %d findings, server %s\n", options.findings,
              options.server.c_str());
  const testing::SeededData seeded = testing::seedServerData(root / "server");
  testing::ServerProcess::Options serverOptions;
  serverOptions.binary = options.server;
  serverOptions.dataDir = root / "server";
  testing::ServerProcess server(serverOptions);
  Tablet one = makeTablet(root / "tablet1", server.url(), seeded.codeA, "bench tablet 1");
  Tablet two = makeTablet(root / "tablet2", server.url(), seeded.codeA2, "bench tablet 2");
  // Both start from the seeded registry, so the timed pulls move only findings.
  timedSync(one, server.pid());
  timedSync(two, server.pid());

  Figures f;
  f.n = options.findings;
  std::mt19937 rng(options.seed);
  storage::FindingRepository repo(*one.store);
  std::vector<domain::Finding> all;
  all.reserve(static_cast<std::size_t>(options.findings));
  double bytes = 0;
  auto t0 = Clock::now();
  for (int done = 0; done < options.findings; done += options.batch) {
    std::vector<domain::Finding> batch;
    for (int i = done; i < std::min(options.findings, done + options.batch); ++i) {
      batch.push_back(benchFinding(rng, seeded.visit1, i));
      bytes += static_cast<double>(codec::encode(batch.back()).size());
    }
    const Status s = repo.saveAll(batch, seeded.monitorA);
    if (!s.isOk()) throw std::runtime_error("save: " + s.toString());
    all.insert(all.end(), batch.begin(), batch.end());
  }
  f.avgBytes = bytes / options.findings;
  std::printf("\nload (not timed): %d findings of %.0f B encoded on average, saved in batches of "
              "%d in %.2f s\n\n",
              options.findings, f.avgBytes, options.batch, msSince(t0) / 1000.0);

  const auto n = static_cast<std::size_t>(options.findings);
  f.push = timedSync(one, server.pid());
  printPhase("push (tablet 1)", f.push, n);
  f.pull = timedSync(two, server.pid());
  printPhase("pull (tablet 2, empty)", f.pull, n);
  if (f.push.report.accepted != n || f.pull.report.applied < n) {
    throw std::runtime_error("the figures are wrong: " + f.push.report.summary() + " / " +
                             f.pull.report.summary());
  }

  // Delta: 1 % edited, 1 % new.
  const std::size_t share = std::max<std::size_t>(1, n / 100);
  std::vector<domain::Finding> delta;
  for (std::size_t i = 0; i < share; ++i) {
    domain::Finding& edited = all[i * (n / share)];
    edited.severity = static_cast<domain::Severity>(1 + (static_cast<int>(edited.severity) % 4));
    edited.title = mixedText(rng, 60);
    delta.push_back(edited);
    delta.push_back(benchFinding(rng, seeded.visit1, options.findings + static_cast<int>(i)));
  }
  if (!repo.saveAll(delta, seeded.monitorA).isOk()) throw std::runtime_error("delta save");
  f.deltaChanges = delta.size();
  f.deltaPush = timedSync(one, server.pid());
  printPhase("delta push (1 % + 1 %)", f.deltaPush, f.deltaChanges);
  f.deltaPull = timedSync(two, server.pid());
  printPhase("delta pull", f.deltaPull, f.deltaChanges);

  // Single edits.
  std::vector<double> pushMs, pullMs, pushUp, pushDown, pullUp, pullDown;
  for (int r = 0; r < options.singleEdits; ++r) {
    domain::Finding& edited = all[static_cast<std::size_t>(r * 7919) % n];
    edited.title = mixedText(rng, 60);
    if (!repo.save(edited, seeded.monitorA).isOk()) throw std::runtime_error("single save");
    const Phase p = timedSync(one, server.pid());
    const Phase q = timedSync(two, server.pid());
    if (p.report.accepted != 1 || q.report.applied != 1) throw std::runtime_error("single edit");
    pushMs.push_back(p.seconds * 1000);
    pullMs.push_back(q.seconds * 1000);
    pushUp.push_back(static_cast<double>(p.report.bytesSent));
    pushDown.push_back(static_cast<double>(p.report.bytesReceived));
    pullUp.push_back(static_cast<double>(q.report.bytesSent));
    pullDown.push_back(static_cast<double>(q.report.bytesReceived));
  }
  if (options.singleEdits > 0) {
    f.singlePushMs = percentile(pushMs, 50);
    f.singlePullMs = percentile(pullMs, 50);
    f.singlePushUp = percentile(pushUp, 50);
    f.singlePushDown = percentile(pushDown, 50);
    f.singlePullUp = percentile(pullUp, 50);
    f.singlePullDown = percentile(pullDown, 50);
    std::printf("  %-28s %8.2f ms push (%0.f B up, %.0f B down), %.2f ms pull (%.0f B up, "
                "%.0f B down): medians of %d\n",
                "single edit", f.singlePushMs, f.singlePushUp, f.singlePushDown, f.singlePullMs,
                f.singlePullUp, f.singlePullDown, options.singleEdits);
  }
  f.serverPeakMiB = procStatusMiB("VmHWM", server.pid());
  f.clientPeakMiB = procStatusMiB("VmHWM");
  server.stop(std::chrono::seconds(60));  // SIGTERM: a profiler wrapping the server can write
  std::printf("\n  peak memory: server %.1f MiB, this process (both tablets) %.1f MiB\n",
              f.serverPeakMiB, f.clientPeakMiB);
  std::printf(
      "\n{\"n_docs\":%d,\"avg_doc_bytes\":%.0f,\"push_s\":%.3f,\"push_docs_per_s\":%.0f,"
      "\"pull_s\":%.3f,\"pull_docs_per_s\":%.0f,\"delta_s\":%.4f,\"delta_pull_s\":%.4f,"
      "\"single_edit_push_ms\":%.2f,\"single_edit_pull_ms\":%.2f,\"push_bytes_up\":%llu,"
      "\"push_bytes_down\":%llu,\"pull_bytes_up\":%llu,\"pull_bytes_down\":%llu,"
      "\"server_peak_rss_mb\":%.1f}\n",
      f.n, f.avgBytes, f.push.seconds, f.n / f.push.seconds, f.pull.seconds, f.n / f.pull.seconds,
      f.deltaPush.seconds, f.deltaPull.seconds, f.singlePushMs, f.singlePullMs,
      static_cast<unsigned long long>(f.push.report.bytesSent),
      static_cast<unsigned long long>(f.push.report.bytesReceived),
      static_cast<unsigned long long>(f.pull.report.bytesSent),
      static_cast<unsigned long long>(f.pull.report.bytesReceived), f.serverPeakMiB);
  return f;
}

// --- the peer -------------------------------------------------------------------------------

void printComparison(const Figures& f, const std::string& peer) {
  const auto p = [&](const char* key) { return jsonNumber(peer, key); };
  std::printf("\nSide by side (%d findings of %.0f B; peer documents of %.0f B JSON). Ours: "
              "fsync on tablet and server; the peer: LevelDB without fsync.\n",
              f.n, f.avgBytes, p("avg_doc_bytes"));
  std::printf("  %-30s %14s %14s %10s\n", "figure", "opcat", "PouchDB peer", "ratio");
  const auto row = [](const char* name, double ours, double theirs, double ratio) {
    std::printf("  %-30s %14.3f %14.3f %9.1fx%s\n", name, ours, theirs, ratio,
                ratio >= 10 ? "" : "   (below the 10x target)");
  };
  const double n = f.n;
  row("push docs/s", n / f.push.seconds, p("push_docs_per_s"),
      n / f.push.seconds / p("push_docs_per_s"));
  row("pull docs/s", n / f.pull.seconds, p("pull_docs_per_s"),
      n / f.pull.seconds / p("pull_docs_per_s"));
  row("delta push s (1 % + 1 %)", f.deltaPush.seconds, p("delta_s"),
      p("delta_s") / f.deltaPush.seconds);
  row("delta pull s", f.deltaPull.seconds, p("delta_pull_s"),
      p("delta_pull_s") / f.deltaPull.seconds);
  row("single edit push ms", f.singlePushMs, p("single_edit_push_ms"),
      p("single_edit_push_ms") / f.singlePushMs);
  row("single edit pull ms", f.singlePullMs, p("single_edit_pull_ms"),
      p("single_edit_pull_ms") / f.singlePullMs);
  std::printf("  (ratios: ours/peer for docs/s, peer/ours for times: higher is better for us)\n");
  std::printf("  peer: %s\n", peer.c_str());
}

}  // namespace
}  // namespace opcat::bench

int main(int argc, char** argv) {
  using opcat::bench::usage;
  opcat::bench::Options options;
  using opcat::bench::into;
  if (!opcat::bench::parseFlags(argc, argv, {
          {"--findings", into(options.findings)},
          {"--single-edits", into(options.singleEdits)},
          {"--batch", into(options.batch)},
          {"--seed", into(options.seed)},
          {"--dir", into(options.dir)},
          {"--peer", into(options.peer)},
          {"--peer-work", into(options.peerWork)},
          {"--server", into(options.server)}})) {
    return usage(argv[0]);
  }
  if (options.findings < 100 || options.batch < 1 || options.singleEdits < 0) {
    return usage(argv[0]);
  }
  if (sodium_init() < 0) return 1;
  try {
    const opcat::bench::Figures figures = opcat::bench::run(options);
    if (!options.peer.empty()) {
      const auto peer = opcat::bench::runPeer(options.peer, options.peerWork, options.findings,
                                              options.singleEdits);
      if (!peer) return 1;
      opcat::bench::printComparison(figures, *peer);
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "e2e_sync_bench: %s\n", e.what());
    return 1;
  }
  return 0;
}
