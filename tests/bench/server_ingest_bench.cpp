// Benchmark of the sync server's throughput (prints figures; not a test). The real opcat-server
// on 127.0.0.1, its store with synchronous=FULL (every acknowledged push is fsynced):
//   1. Push: one tablet pushes N findings of ~1 KB in batches.
//   2. Pull: a second, empty tablet of the same team pulls all of them.
//   3. Delta: 1 % of the findings edited and 1 % new, pushed, then pulled by the second tablet.
//   4. Single edit: one edited finding pushed and pulled, median of R rounds.
//   5. A third, empty tablet pulls everything with a larger page limit.
//   6. The server's memory: VmRSS at start, VmHWM over phases 1-4 (the peer's phases) and with 5.
// With --peer DIR it then runs the peer benchmark (PouchDB replicating to express-pouchdb) on
// the same workload, from a writable copy of DIR, and prints both side by side.
// Usage: server_ingest_bench [--server BINARY] [--server-config FILE] [--findings N] [--batch N]
//          [--pull-limit N] [--second-pull-limit N] [--single-edits N] [--seed N] [--dir DIR]
//          [--peer DIR] [--peer-work DIR]
#include <fcntl.h>
#include <unistd.h>

#include <cmath>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "bench_util.h"
#include "peer_harness.h"
#include "opcat/v1/sync.pb.h"
#include "seeded_server.h"
#include "server_bench.h"
#include "support/change_builder.h"
#include "support/child_process.h"
#include "support/server_process.h"
#include "support/sync_client.h"
#include "support/temp_dir.h"
#include "sync/codec/change_proto.h"
#include "sync/codec/record_codec.h"

namespace opcat::bench {
namespace {

namespace fs = std::filesystem;

struct Options {
  std::string server = defaultServerBinary();
  fs::path serverConfig;  // passed as --config, e.g. "worker_threads = 16"
  int findings = 20000;
  int batch = 500;
  int pullLimit = 1000;
  int secondPullLimit = 5000;  // 0: no second pull
  int singleEdits = 10;
  unsigned seed = 1;
  fs::path dir;
  fs::path peer;
  fs::path peerWork = fs::temp_directory_path() / "opcat-peer-pouchdb";
};

int usage(const char* argv0) {
  std::fprintf(stderr,
               "usage: %s [--server BINARY] [--server-config FILE] [--findings N] [--batch N]\n"
               "         [--pull-limit N] [--second-pull-limit N] [--single-edits N] [--seed N]\n"
               "         [--dir DIR] [--peer DIR] [--peer-work DIR]\n",
               argv0);
  return 2;
}

// What one pull sequence (until has_more is false) did.
struct PullRun {
  double ms = 0;
  int requests = 0;
  std::size_t changes = 0;
  std::size_t findings = 0;
  std::size_t bodyBytes = 0;
  bool ok = true;
};

PullRun pullToEnd(testing::SyncClient& client, std::uint64_t& cursor, std::uint32_t limit) {
  PullRun run;
  const auto t0 = Clock::now();
  for (int guard = 0; guard < 100000; ++guard) {
    v1::PullRequest request;
    request.set_cursor(cursor);
    request.set_limit(limit);
    const testing::HttpResponse response =
        client.post("/v1/sync/pull", request.SerializeAsString());
    ++run.requests;
    v1::PullResponse page;
    if (response.status != 200 || !page.ParseFromString(response.body)) {
      std::fprintf(stderr, "pull failed: HTTP %ld %s\n", response.status, response.error.c_str());
      run.ok = false;
      break;
    }
    run.bodyBytes += response.body.size();
    run.changes += static_cast<std::size_t>(page.changes_size());
    for (const auto& change : page.changes()) {
      if (change.kind() == v1::RECORD_KIND_FINDING) ++run.findings;
    }
    cursor = page.next_cursor();
    if (!page.has_more()) break;
  }
  run.ms = msSince(t0);
  return run;
}

// Pushes one encoded PushRequest of `expected` changes; false unless all were accepted.
bool pushBody(testing::SyncClient& client, const std::string& body, int expected) {
  const testing::HttpResponse response = client.post("/v1/sync/push", body);
  v1::PushResponse reply;
  if (response.status != 200 || !reply.ParseFromString(response.body)) {
    std::fprintf(stderr, "push failed: HTTP %ld %s\n", response.status, response.error.c_str());
    return false;
  }
  if (reply.results_size() != expected) return false;
  for (const auto& result : reply.results()) {
    if (result.outcome() != v1::ChangeResult::OUTCOME_ACCEPTED) {
      std::fprintf(stderr, "change rejected: %d %s\n", result.problem_code(),
                   result.reason().c_str());
      return false;
    }
  }
  return true;
}

std::string encodePush(const std::vector<sync::Change>& changes, std::size_t from, std::size_t to) {
  v1::PushRequest request;
  for (std::size_t i = from; i < to; ++i) codec::changeToProto(changes[i], *request.add_changes());
  return request.SerializeAsString();
}

// Our figures, named like the peer's JSON fields where they mean the same.
struct Figures {
  int nDocs = 0;
  double avgDocBytes = 0, avgChangeBytes = 0;
  double pushS = 0, pullS = 0, secondPullS = 0;
  int pushRequests = 0, pullRequests = 0, secondPullRequests = 0;
  double pushBytesIn = 0, pushBytesOut = 0, pullBytesIn = 0, pullBytesOut = 0;
  double pushServerCpuS = 0, pullServerCpuS = 0;
  double deltaS = 0, deltaPullS = 0;
  int deltaUpdated = 0, deltaCreated = 0;
  WireCounters deltaWire, deltaPullWire;
  double singlePushMs = 0, singlePullMs = 0;
  WireCounters singlePushWire, singlePullWire;
  double startRssMiB = 0, peakRssMiB = 0, endRssMiB = 0;
  double secondPullPeakRssMiB = 0;
};

int runOurs(const Options& options, Figures& f) {
  testing::TempDir temp("opcat-ingest-bench");
  const fs::path root = options.dir.empty() ? temp.path() : options.dir;
  const fs::path dataDir = root / "server";
  const testing::SeededData seeded = testing::seedServerData(dataDir);
  const std::vector<std::string> codes = testing::issueCodes(dataDir, seeded.monitorA2, 1);

  testing::ServerProcess::Options serverOptions;
  serverOptions.binary = options.server;
  serverOptions.dataDir = dataDir;
  if (!options.serverConfig.empty()) {
    serverOptions.args = {"--config", fs::absolute(options.serverConfig).string()};
  }
  testing::ServerProcess server(serverOptions);
  std::this_thread::sleep_for(std::chrono::milliseconds(300));  // idle after start
  f.startRssMiB = procStatusMiB("VmRSS", server.pid());
  std::printf("opcat-server %s (pid %d) at %s, data under %s, RSS at start %.1f MiB\n",
              options.server.c_str(), static_cast<int>(server.pid()), server.url().c_str(),
              dataDir.c_str(), f.startRssMiB);

  testing::SyncClient pusher(server.url()), puller(server.url()), secondPuller(server.url());
  testing::ChangeBuilder changes(newUuid());
  if (pusher.enroll(seeded.codeA, changes.deviceId()) != 200 ||
      puller.enroll(seeded.codeA2, newUuid()) != 200 ||
      secondPuller.enroll(codes[0], newUuid()) != 200) {
    std::fprintf(stderr, "enrollment failed\n");
    return 1;
  }

  // The workload, made before timing starts (like the peer's untimed local load).
  std::mt19937 rng(options.seed);
  std::vector<domain::Finding> findings;
  std::vector<sync::Change> created;
  std::size_t recordBytes = 0;
  for (int i = 0; i < options.findings; ++i) {
    findings.push_back(benchFinding(rng, seeded.visit1, i));
    recordBytes += codec::encode(findings.back()).size();
    created.push_back(changes.create(findings.back()));
  }
  std::vector<std::string> bodies;
  std::vector<int> bodyChanges;
  std::size_t payload = 0;
  for (std::size_t from = 0; from < created.size();
       from += static_cast<std::size_t>(options.batch)) {
    const std::size_t to = std::min(created.size(), from + static_cast<std::size_t>(options.batch));
    bodies.push_back(encodePush(created, from, to));
    bodyChanges.push_back(static_cast<int>(to - from));
    payload += bodies.back().size();
  }
  f.nDocs = options.findings;
  f.avgDocBytes = static_cast<double>(recordBytes) / options.findings;
  f.avgChangeBytes = static_cast<double>(payload) / options.findings;
  std::printf(
      "workload: %d findings, %.0f B per encoded record, %.0f B per change on the wire "
      "(protobuf, per-field clocks), %zu pushes of up to %d\n",
      options.findings, f.avgDocBytes, f.avgChangeBytes, bodies.size(), options.batch);

  WireMeter wire(server.url());
  // 1. Push.
  wire.start();
  double cpu0 = cpuSeconds(server.pid());
  auto t0 = Clock::now();
  for (std::size_t b = 0; b < bodies.size(); ++b) {
    if (!pushBody(pusher, bodies[b], bodyChanges[b])) return 1;
  }
  f.pushS = msSince(t0) / 1000.0;
  f.pushServerCpuS = cpuSeconds(server.pid()) - cpu0;
  f.pushRequests = static_cast<int>(bodies.size());
  const WireCounters pushWire = wire.stop();
  f.pushBytesIn = pushWire.bytesIn;
  f.pushBytesOut = pushWire.bytesOut;
  std::printf(
      "\n1. Push %d findings, %d per push, fsync on: %.2f s, %.0f changes/s "
      "(server CPU %.2f s; %.1f MB in, %.2f MB out; server peak RSS %.1f MiB)\n",
      options.findings, options.batch, f.pushS, options.findings / f.pushS, f.pushServerCpuS,
      pushWire.bytesIn / 1e6, pushWire.bytesOut / 1e6, procStatusMiB("VmHWM", server.pid()));

  // 2. Pull by an empty tablet of the same team.
  std::uint64_t cursor = 0;
  wire.start();
  cpu0 = cpuSeconds(server.pid());
  const PullRun pull = pullToEnd(puller, cursor, static_cast<std::uint32_t>(options.pullLimit));
  f.pullServerCpuS = cpuSeconds(server.pid()) - cpu0;
  const WireCounters pullWire = wire.stop();
  if (!pull.ok || pull.findings != static_cast<std::size_t>(options.findings)) {
    std::fprintf(stderr, "pull got %zu findings, expected %d\n", pull.findings, options.findings);
    return 1;
  }
  f.pullS = pull.ms / 1000.0;
  f.pullRequests = pull.requests;
  f.pullBytesIn = pullWire.bytesIn;
  f.pullBytesOut = pullWire.bytesOut;
  std::printf(
      "2. Pull by an empty tablet, limit %d: %zu changes (%zu findings) in %d requests, "
      "%.2f s, %.0f changes/s (server CPU %.2f s; %.2f MB in, %.1f MB out; server peak "
      "RSS %.1f MiB)\n",
      options.pullLimit, pull.changes, pull.findings, pull.requests, f.pullS,
      static_cast<double>(pull.findings) / f.pullS, f.pullServerCpuS, pullWire.bytesIn / 1e6,
      pullWire.bytesOut / 1e6, procStatusMiB("VmHWM", server.pid()));

  // 3. Delta: 1 % edited, 1 % new, in one sync (pushes of --batch), then pulled.
  const int nDelta = std::max(1, static_cast<int>(std::lround(options.findings * 0.01)));
  const int step = std::max(1, options.findings / nDelta);
  std::vector<sync::Change> delta;
  for (int k = 0; k < nDelta && k * step < options.findings; ++k) {
    const int i = k * step;
    domain::Finding after = findings[static_cast<std::size_t>(i)];
    after.severity = static_cast<domain::Severity>(1 + (static_cast<int>(after.severity) % 4));
    after.title = mixedText(rng, 60);
    after.standards = {after.standards[1], "NMR 22"};
    delta.push_back(changes.edit(findings[static_cast<std::size_t>(i)], after,
                                 {{created[static_cast<std::size_t>(i)].hlc, changes.deviceId()}}));
    ++f.deltaUpdated;
  }
  for (int k = 0; k < nDelta; ++k) {
    delta.push_back(changes.create(benchFinding(rng, seeded.visit1, options.findings + k)));
    ++f.deltaCreated;
  }
  std::vector<std::string> deltaBodies;
  std::vector<int> deltaCounts;
  for (std::size_t from = 0; from < delta.size(); from += static_cast<std::size_t>(options.batch)) {
    const std::size_t to = std::min(delta.size(), from + static_cast<std::size_t>(options.batch));
    deltaBodies.push_back(encodePush(delta, from, to));
    deltaCounts.push_back(static_cast<int>(to - from));
  }
  wire.start();
  t0 = Clock::now();
  for (std::size_t b = 0; b < deltaBodies.size(); ++b) {
    if (!pushBody(pusher, deltaBodies[b], deltaCounts[b])) return 1;
  }
  f.deltaS = msSince(t0) / 1000.0;
  f.deltaWire = wire.stop();
  wire.start();
  const PullRun deltaPull =
      pullToEnd(puller, cursor, static_cast<std::uint32_t>(options.pullLimit));
  f.deltaPullWire = wire.stop();
  if (!deltaPull.ok || deltaPull.changes != delta.size()) {
    std::fprintf(stderr, "delta pull got %zu changes, expected %zu\n", deltaPull.changes,
                 delta.size());
    return 1;
  }
  f.deltaPullS = deltaPull.ms / 1000.0;
  std::printf(
      "\n3. Delta, %d edited + %d new: push %.1f ms (%zu requests; %.0f B in, %.0f B out), "
      "pull %.1f ms (%d requests; %.0f B in, %.0f B out)\n",
      f.deltaUpdated, f.deltaCreated, f.deltaS * 1000, deltaBodies.size(), f.deltaWire.bytesIn,
      f.deltaWire.bytesOut, f.deltaPullS * 1000, deltaPull.requests, f.deltaPullWire.bytesIn,
      f.deltaPullWire.bytesOut);

  // 4. Single edits: one finding edited, pushed, then pulled by the other tablet.
  std::vector<double> pushMs, pullMs, pushIn, pushOut, pullIn, pullOut;
  for (int r = 0; r < options.singleEdits; ++r) {
    const std::size_t i = (static_cast<std::size_t>(step / 2) +
                           static_cast<std::size_t>(r) * static_cast<std::size_t>(step)) %
                          findings.size();
    domain::Finding after = findings[i];
    after.title = mixedText(rng, 60);
    const std::string body = encodePush(
        {changes.edit(findings[i], after, {{created[i].hlc, changes.deviceId()}})}, 0, 1);
    wire.start();
    t0 = Clock::now();
    if (!pushBody(pusher, body, 1)) return 1;
    pushMs.push_back(msSince(t0));
    const WireCounters pushed = wire.stop();
    wire.start();
    const PullRun one = pullToEnd(puller, cursor, static_cast<std::uint32_t>(options.pullLimit));
    const WireCounters pulled = wire.stop();
    if (!one.ok || one.changes != 1) return 1;
    pullMs.push_back(one.ms);
    pushIn.push_back(pushed.bytesIn);
    pushOut.push_back(pushed.bytesOut);
    pullIn.push_back(pulled.bytesIn);
    pullOut.push_back(pulled.bytesOut);
  }
  if (options.singleEdits > 0) {
    f.singlePushMs = percentile(pushMs, 50);
    f.singlePullMs = percentile(pullMs, 50);
    f.singlePushWire = {percentile(pushIn, 50), percentile(pushOut, 50)};
    f.singlePullWire = {percentile(pullIn, 50), percentile(pullOut, 50)};
    std::printf(
        "\n4. One edited finding, median of %d: push %.2f ms (%.0f B in, %.0f B out), "
        "pull %.2f ms (%.0f B in, %.0f B out)\n",
        options.singleEdits, f.singlePushMs, f.singlePushWire.bytesIn, f.singlePushWire.bytesOut,
        f.singlePullMs, f.singlePullWire.bytesIn, f.singlePullWire.bytesOut);
  }

  // The peer-comparable peak: the same phases as the peer's run.
  f.peakRssMiB = procStatusMiB("VmHWM", server.pid());

  // 5. Another empty tablet pulls everything with a larger page (untimed by the peer).
  if (options.secondPullLimit > 0) {
    std::uint64_t secondCursor = 0;
    const PullRun second =
        pullToEnd(secondPuller, secondCursor, static_cast<std::uint32_t>(options.secondPullLimit));
    if (!second.ok || second.findings < static_cast<std::size_t>(options.findings)) return 1;
    f.secondPullS = second.ms / 1000.0;
    f.secondPullRequests = second.requests;
    f.secondPullPeakRssMiB = procStatusMiB("VmHWM", server.pid());
    std::printf(
        "\n5. Pull of everything by another empty tablet, limit %d: %zu changes in %d "
        "requests, %.2f s, %.0f changes/s; server peak RSS %.1f MiB after it\n",
        options.secondPullLimit, second.changes, second.requests, f.secondPullS,
        static_cast<double>(second.changes) / f.secondPullS, f.secondPullPeakRssMiB);
  }

  f.endRssMiB = procStatusMiB("VmRSS", server.pid());
  std::printf(
      "\n6. Server memory: RSS at start %.1f MiB; peak (VmHWM) %.1f MiB over phases 1-4, "
      "%.1f MiB with phase 5; %.1f MiB at end; database %.1f MiB\n",
      f.startRssMiB, f.peakRssMiB, std::max(f.peakRssMiB, f.secondPullPeakRssMiB), f.endRssMiB,
      static_cast<double>(fs::file_size(dataDir / "opcat-server.db")) / (1 << 20));
  const int stopped = server.stop();
  if (stopped != 0) {
    std::fprintf(stderr, "opcat-server exited with %d\n", stopped);
    return 1;
  }
  return 0;
}

std::string ourJson(const Options& options, const Figures& f) {
  char line[2048];
  std::snprintf(
      line, sizeof line,
      "{\"server\":\"opcat-server\",\"n_docs\":%d,\"push_s\":%.3f,\"push_docs_per_s\":%.0f,"
      "\"pull_s\":%.3f,\"pull_docs_per_s\":%.0f,\"delta_s\":%.4f,\"server_peak_rss_mb\":%.1f,"
      "\"delta_updated\":%d,\"delta_created\":%d,\"delta_pull_s\":%.4f,"
      "\"single_edit_push_ms\":%.2f,\"single_edit_pull_ms\":%.2f,\"server_start_rss_mb\":%.1f,"
      "\"server_end_rss_mb\":%.1f,\"push_server_cpu_s\":%.2f,\"pull_server_cpu_s\":%.2f,"
      "\"push_requests\":%d,\"pull_requests\":%d,\"push_bytes_in\":%.0f,\"push_bytes_out\":%.0f,"
      "\"pull_bytes_in\":%.0f,\"pull_bytes_out\":%.0f,\"delta_bytes_in\":%.0f,"
      "\"delta_bytes_out\":%.0f,\"delta_pull_bytes_in\":%.0f,\"delta_pull_bytes_out\":%.0f,"
      "\"single_edit_push_bytes_in\":%.0f,\"single_edit_push_bytes_out\":%.0f,"
      "\"single_edit_pull_bytes_in\":%.0f,\"single_edit_pull_bytes_out\":%.0f,"
      "\"second_pull_limit\":%d,\"second_pull_s\":%.3f,\"second_pull_peak_rss_mb\":%.1f,\"avg_doc_"
      "bytes\":%.0f,"
      "\"avg_change_bytes\":%.0f,\"batch\":%d,\"pull_limit\":%d,\"fsync\":true}",
      f.nDocs, f.pushS, f.nDocs / f.pushS, f.pullS, f.nDocs / f.pullS, f.deltaS, f.peakRssMiB,
      f.deltaUpdated, f.deltaCreated, f.deltaPullS, f.singlePushMs, f.singlePullMs, f.startRssMiB,
      f.endRssMiB, f.pushServerCpuS, f.pullServerCpuS, f.pushRequests, f.pullRequests,
      f.pushBytesIn, f.pushBytesOut, f.pullBytesIn, f.pullBytesOut, f.deltaWire.bytesIn,
      f.deltaWire.bytesOut, f.deltaPullWire.bytesIn, f.deltaPullWire.bytesOut,
      f.singlePushWire.bytesIn, f.singlePushWire.bytesOut, f.singlePullWire.bytesIn,
      f.singlePullWire.bytesOut, options.secondPullLimit, f.secondPullS, f.secondPullPeakRssMiB,
      f.avgDocBytes, f.avgChangeBytes, options.batch, options.pullLimit);
  return line;
}

// --- the peer ---------------------------------------------------------------------------

void printComparison(const Figures& f, const std::string& peer) {
  const auto p = [&](const char* key) { return jsonNumber(peer, key); };
  std::printf(
      "\nSide by side (%d findings; peer: PouchDB 9 -> express-pouchdb, LevelDB without "
      "fsync; ours: fsync on every push)\n",
      f.nDocs);
  std::printf("  %-34s %14s %14s %9s  %s\n", "figure", "opcat-server", "peer", "ratio", "target");
  // Enough digits for figures from microseconds to thousands per second.
  const auto number = [](double v) {
    char text[32];
    const double a = std::fabs(v);
    std::snprintf(text, sizeof text,
                  a >= 1000 ? "%.0f"
                  : a >= 10 ? "%.1f"
                  : a >= 1  ? "%.2f"
                            : "%.4f",
                  v);
    return std::string(text);
  };
  const auto row = [&number](const char* what, double ours, double theirs, double ratio,
                             const char* target, int verdict) {
    char ratioText[32] = "     -";  // e.g. a CPU time below the clock tick
    if (std::isfinite(ratio)) std::snprintf(ratioText, sizeof ratioText, "%8.2fx", ratio);
    std::printf("  %-34s %14s %14s %9s  %s%s\n", what, number(ours).c_str(), number(theirs).c_str(),
                ratioText, target,
                verdict < 0 ? ""
                : verdict   ? "  MET"
                            : "  MISSED");
  };
  const double pushOurs = f.nDocs / f.pushS, pushPeer = p("push_docs_per_s");
  const double pullOurs = f.nDocs / f.pullS, pullPeer = p("pull_docs_per_s");
  row("push docs/s", pushOurs, pushPeer, pushOurs / pushPeer, ">= 10x", pushOurs >= 10 * pushPeer);
  row("pull docs/s", pullOurs, pullPeer, pullOurs / pullPeer, ">= 10x", pullOurs >= 10 * pullPeer);
  row("delta push s (1 % + 1 %)", f.deltaS, p("delta_s"), p("delta_s") / f.deltaS, "(peer/ours)",
      -1);
  row("delta pull s", f.deltaPullS, p("delta_pull_s"), p("delta_pull_s") / f.deltaPullS,
      "(peer/ours)", -1);
  row("delta push bytes in (to server)", f.deltaWire.bytesIn, p("delta_bytes_in"),
      p("delta_bytes_in") / f.deltaWire.bytesIn, "(peer/ours)", -1);
  row("delta pull bytes out (to client)", f.deltaPullWire.bytesOut, p("delta_pull_bytes_out"),
      p("delta_pull_bytes_out") / f.deltaPullWire.bytesOut, "(peer/ours)", -1);
  row("single edit push ms", f.singlePushMs, p("single_edit_push_ms"),
      p("single_edit_push_ms") / f.singlePushMs, "(peer/ours)", -1);
  row("single edit pull ms", f.singlePullMs, p("single_edit_pull_ms"),
      p("single_edit_pull_ms") / f.singlePullMs, "(peer/ours)", -1);
  const double rssPeer = p("server_peak_rss_mb");
  row("server peak RSS MiB", f.peakRssMiB, rssPeer, f.peakRssMiB / rssPeer, "< 0.25x",
      f.peakRssMiB < 0.25 * rssPeer);
  if (f.secondPullPeakRssMiB > 0) {
    row("  same, with our 5000-limit pull", f.secondPullPeakRssMiB, rssPeer,
        f.secondPullPeakRssMiB / rssPeer, "< 0.25x", f.secondPullPeakRssMiB < 0.25 * rssPeer);
  }
  row("server RSS at start MiB", f.startRssMiB, p("server_start_rss_mb"),
      f.startRssMiB / p("server_start_rss_mb"), "(ours/peer)", -1);
  row("push server CPU s", f.pushServerCpuS, p("push_server_cpu_s"),
      p("push_server_cpu_s") / f.pushServerCpuS, "(peer/ours)", -1);
  row("pull server CPU s", f.pullServerCpuS, p("pull_server_cpu_s"),
      p("pull_server_cpu_s") / f.pullServerCpuS, "(peer/ours)", -1);
}

}  // namespace
}  // namespace opcat::bench

int main(int argc, char** argv) {
  using opcat::bench::usage;
  opcat::bench::Options options;
  using opcat::bench::into;
  if (!opcat::bench::parseFlags(argc, argv, {
          {"--server", into(options.server)},
          {"--server-config", into(options.serverConfig)},
          {"--findings", into(options.findings)},
          {"--batch", into(options.batch)},
          {"--pull-limit", into(options.pullLimit)},
          {"--second-pull-limit", into(options.secondPullLimit)},
          {"--single-edits", into(options.singleEdits)},
          {"--seed", into(options.seed)},
          {"--dir", into(options.dir)},
          {"--peer", into(options.peer)},
          {"--peer-work", into(options.peerWork)}})) {
    return usage(argv[0]);
  }
  if (options.findings < 100 || options.batch < 1 || options.batch > 5000 ||
      options.pullLimit < 1 || options.secondPullLimit < 0 || options.singleEdits < 0 ||
      options.singleEdits > options.findings / 100) {
    return usage(argv[0]);
  }
  std::printf("Opcat Field sync server benchmark: ingest and replication\n");
  opcat::bench::Figures figures;
  int status = 1;
  try {
    status = opcat::bench::runOurs(options, figures);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "benchmark failed: %s\n", e.what());
    return 1;
  }
  if (status != 0) return status;
  const std::string ours = opcat::bench::ourJson(options, figures);
  std::printf("\nours: %s\n", ours.c_str());
  if (options.peer.empty()) return 0;
  const auto peer = opcat::bench::runPeer(options.peer, options.peerWork, options.findings,
                                          options.singleEdits);
  if (!peer) return 1;
  std::printf("\nours: %s\npeer: %s\n", ours.c_str(), peer->c_str());
  opcat::bench::printComparison(figures, *peer);
  return 0;
}
