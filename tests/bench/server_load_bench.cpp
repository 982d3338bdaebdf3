// Benchmark of the sync server under many tablets at once (prints figures; not a test). The real
// opcat-server on 127.0.0.1 (synchronous=FULL), T enrolled tablets spread over --teams visiting
// groups (each with its own planned visit; the NPM sends groups of 2 to 6), each tablet a thread
// with its own keep-alive libcurl connection. After an untimed catch-up pull, all start together
// (or spread evenly over --spread-ms): each pushes C findings of ~1 KB in one push into its team's
// visit, then pulls until it has everything new (its team's changes, pages of --pull-limit), R
// rounds. Prints p50/p90/p99/max latency of push and of pull requests, errors (any status but 200,
// a failed request, a rejected change), the wall time and the server's CPU time and peak memory.
// Usage: server_load_bench [--server BINARY] [--server-config FILE] [--tablets N] [--teams N]
//          [--changes N] [--rounds N] [--spread-ms N] [--pull-limit N] [--seed N] [--dir DIR]
#include <algorithm>
#include <atomic>
#include <barrier>
#include <cstdio>
#include <filesystem>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "bench_util.h"
#include "opcat/v1/sync.pb.h"
#include "seeded_server.h"
#include "server_bench.h"
#include "support/change_builder.h"
#include "support/server_process.h"
#include "support/sync_client.h"
#include "support/temp_dir.h"
#include "sync/codec/change_proto.h"

namespace opcat::bench {
namespace {

namespace fs = std::filesystem;

struct Options {
  std::string server = defaultServerBinary();
  fs::path serverConfig;  // passed as --config, e.g. "worker_threads = 16"
  int tablets = 200;
  int teams = 50;
  int changes = 50;
  int spreadMs = 0;
  int rounds = 1;
  int pullLimit = 1000;
  unsigned seed = 1;
  fs::path dir;
};

int usage(const char* argv0) {
  std::fprintf(stderr,
               "usage: %s [--server BINARY] [--server-config FILE] [--tablets N] [--teams N]\n"
               "         [--changes N] [--rounds N] [--spread-ms N] [--pull-limit N] [--seed N]\n"
               "         [--dir DIR]\n",
               argv0);
  return 2;
}

// One simulated tablet: its connection, its changes and what it measured.
struct Tablet {
  std::unique_ptr<testing::SyncClient> client;
  std::vector<std::string> pushBodies;  // one per round
  std::uint64_t cursor = 0;
  std::vector<double> pushMs, pullMs;
  std::size_t pulledChanges = 0;
  int errors = 0;
  std::string firstError;

  void fail(std::string what) {
    if (errors++ == 0) firstError = std::move(what);
  }
};

// Pulls until has_more is false; timed per request when `samples` is given.
void pullToEnd(Tablet& t, std::uint32_t limit, std::vector<double>* samples) {
  for (int guard = 0; guard < 10000; ++guard) {
    v1::PullRequest request;
    request.set_cursor(t.cursor);
    request.set_limit(limit);
    const auto t0 = Clock::now();
    const testing::HttpResponse response =
        t.client->post("/v1/sync/pull", request.SerializeAsString());
    if (samples != nullptr) samples->push_back(msSince(t0));
    v1::PullResponse page;
    if (response.status != 200 || !page.ParseFromString(response.body)) {
      t.fail("pull: HTTP " + std::to_string(response.status) + " " + response.error);
      return;
    }
    if (samples != nullptr) t.pulledChanges += static_cast<std::size_t>(page.changes_size());
    t.cursor = page.next_cursor();
    if (!page.has_more()) return;
  }
}

void push(Tablet& t, const std::string& body, int expected) {
  const auto t0 = Clock::now();
  const testing::HttpResponse response = t.client->post("/v1/sync/push", body);
  t.pushMs.push_back(msSince(t0));
  v1::PushResponse reply;
  if (response.status != 200 || !reply.ParseFromString(response.body)) {
    t.fail("push: HTTP " + std::to_string(response.status) + " " + response.error);
    return;
  }
  if (reply.results_size() != expected) t.fail("push: wrong number of results");
  for (const auto& result : reply.results()) {
    if (result.outcome() != v1::ChangeResult::OUTCOME_ACCEPTED) {
      t.fail("push: change rejected, problem " + std::to_string(result.problem_code()) + " " +
             result.reason());
    }
  }
}

void printLatency(const char* what, const std::vector<double>& ms) {
  if (ms.empty()) return;
  std::printf("  %-6s %6zu requests   p50 %8.1f ms   p90 %8.1f ms   p99 %8.1f ms   max %8.1f ms\n",
              what, ms.size(), percentile(ms, 50), percentile(ms, 90), percentile(ms, 99),
              percentile(ms, 100));
}

int run(const Options& options) {
  testing::TempDir temp("opcat-load-bench");
  const fs::path root = options.dir.empty() ? temp.path() : options.dir;
  const fs::path dataDir = root / "server";
  const testing::SeededData seeded = testing::seedServerData(dataDir);
  // Tablet i belongs to team i % teams and is the tablet of one of that team's monitors.
  const int perTeam = (options.tablets + options.teams - 1) / options.teams;
  const int monitorsPerTeam = std::min(perTeam, 20);
  auto t0 = Clock::now();
  const std::vector<testing::SeededTeam> teams =
      testing::seedTeams(dataDir, seeded, options.teams, monitorsPerTeam);
  std::vector<testing::EnrolledDevice> devices;
  std::vector<std::string> visits;
  for (int i = 0; i < options.tablets; ++i) {
    const testing::SeededTeam& team = teams[static_cast<std::size_t>(i % options.teams)];
    const auto monitor = static_cast<std::size_t>((i / options.teams) % monitorsPerTeam);
    devices.push_back(testing::enrollDevices(dataDir, team.monitors[monitor], 1).front());
    visits.push_back(team.visit);
  }
  std::printf(
      "Opcat Field sync server benchmark: %d tablets at once\n"
      "  %d teams of up to %d tablets (%d monitors each), seeded and enrolled through the "
      "server's services in %.1f s (untimed)\n",
      options.tablets, options.teams, perTeam, monitorsPerTeam, msSince(t0) / 1000.0);

  testing::ServerProcess::Options serverOptions;
  serverOptions.binary = options.server;
  serverOptions.dataDir = dataDir;
  if (!options.serverConfig.empty()) {
    serverOptions.args = {"--config", fs::absolute(options.serverConfig).string()};
  }
  testing::ServerProcess server(serverOptions);
  std::printf("  opcat-server %s (pid %d) at %s\n", options.server.c_str(),
              static_cast<int>(server.pid()), server.url().c_str());

  std::mt19937 rng(options.seed);
  std::vector<Tablet> tablets(static_cast<std::size_t>(options.tablets));
  for (std::size_t i = 0; i < tablets.size(); ++i) {
    Tablet& t = tablets[i];
    t.client = std::make_unique<testing::SyncClient>(server.url());
    t.client->setToken(devices[i].token);
    testing::ChangeBuilder builder(devices[i].deviceId);
    const std::string& visit = visits[i];
    for (int r = 0; r < options.rounds; ++r) {
      v1::PushRequest request;
      for (int c = 0; c < options.changes; ++c) {
        codec::changeToProto(builder.create(benchFinding(rng, visit, c)), *request.add_changes());
      }
      t.pushBodies.push_back(request.SerializeAsString());
    }
  }

  // Every thread connects and catches up (untimed), then all start at once, or each at its own
  // moment of the spread (in a shuffled order, so teams do not start one after another).
  std::vector<int> order(tablets.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = static_cast<int>(i);
  std::shuffle(order.begin(), order.end(), rng);
  std::barrier start(options.tablets + 1);
  std::atomic<int> finished{0};
  std::vector<std::thread> threads;
  const auto limit = static_cast<std::uint32_t>(options.pullLimit);
  for (std::size_t i = 0; i < tablets.size(); ++i) {
    const auto delay = std::chrono::microseconds(std::int64_t{options.spreadMs} * 1000 * order[i] /
                                                 options.tablets);
    threads.emplace_back([&t = tablets[i], &start, &finished, &options, limit, delay] {
      pullToEnd(t, limit, nullptr);
      start.arrive_and_wait();
      std::this_thread::sleep_for(delay);
      for (int r = 0; r < options.rounds; ++r) {
        push(t, t.pushBodies[static_cast<std::size_t>(r)], options.changes);
        pullToEnd(t, limit, &t.pullMs);
      }
      ++finished;
    });
  }
  start.arrive_and_wait();
  const double cpu0 = cpuSeconds(server.pid()), tabletsCpu0 = cpuSeconds(::getpid());
  t0 = Clock::now();
  for (std::thread& thread : threads) thread.join();
  const double wallS = msSince(t0) / 1000.0;
  const double serverCpuS = cpuSeconds(server.pid()) - cpu0;
  // The simulated tablets share the machine's cores with the server: their CPU says how much
  // of the wall time the server could not have had.
  const double tabletsCpuS = cpuSeconds(::getpid()) - tabletsCpu0;

  std::vector<double> pushMs, pullMs;
  int errors = 0;
  std::size_t pulled = 0;
  for (const Tablet& t : tablets) {
    pushMs.insert(pushMs.end(), t.pushMs.begin(), t.pushMs.end());
    pullMs.insert(pullMs.end(), t.pullMs.begin(), t.pullMs.end());
    pulled += t.pulledChanges;
    if (t.errors > 0) {
      if (errors == 0) std::fprintf(stderr, "first error: %s\n", t.firstError.c_str());
      errors += t.errors;
    }
  }
  const int pushed = options.tablets * options.changes * options.rounds;
  std::printf(
      "\n%d tablets x %d round(s), starts %s: push %d changes each, then pull (limit %d); "
      "fsync on\n",
      options.tablets, options.rounds,
      options.spreadMs == 0 ? "all at once"
                            : ("spread over " + std::to_string(options.spreadMs) + " ms").c_str(),
      options.changes, options.pullLimit);
  printLatency("push", pushMs);
  printLatency("pull", pullMs);
  std::printf("  errors: %d (target 0)\n", errors);
  std::printf(
      "  wall %.2f s: %d changes pushed (%.0f/s), %zu pulled; server CPU %.2f s, "
      "peak RSS %.1f MiB; simulated tablets' CPU %.2f s\n",
      wallS, pushed, pushed / wallS, pulled, serverCpuS, procStatusMiB("VmHWM", server.pid()),
      tabletsCpuS);
  const double p99 = std::max(pushMs.empty() ? 0 : percentile(pushMs, 99),
                              pullMs.empty() ? 0 : percentile(pullMs, 99));
  std::printf("  target p99 < 200 ms and 0 errors: %s\n",
              p99 < 200 && errors == 0 ? "MET" : "MISSED");
  std::printf(
      "\n{\"tablets\":%d,\"teams\":%d,\"spread_ms\":%d,\"changes_per_push\":%d,\"rounds\":%d,"
      "\"push_p50_ms\":%.1f,"
      "\"push_p99_ms\":%.1f,\"push_max_ms\":%.1f,\"pull_p50_ms\":%.1f,\"pull_p99_ms\":%.1f,"
      "\"pull_max_ms\":%.1f,\"pull_requests\":%zu,\"errors\":%d,\"wall_s\":%.2f,"
      "\"server_cpu_s\":%.2f,\"server_peak_rss_mb\":%.1f}\n",
      options.tablets, options.teams, options.spreadMs, options.changes, options.rounds,
      percentile(pushMs, 50), percentile(pushMs, 99), percentile(pushMs, 100),
      percentile(pullMs, 50), percentile(pullMs, 99), percentile(pullMs, 100), pullMs.size(),
      errors, wallS, serverCpuS, procStatusMiB("VmHWM", server.pid()));
  if (server.stop() != 0) {
    std::fprintf(stderr, "opcat-server did not stop cleanly\n");
    return 1;
  }
  return finished.load() == options.tablets ? 0 : 1;
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
          {"--tablets", into(options.tablets)},
          {"--teams", into(options.teams)},
          {"--changes", into(options.changes)},
          {"--spread-ms", into(options.spreadMs)},
          {"--rounds", into(options.rounds)},
          {"--pull-limit", into(options.pullLimit)},
          {"--seed", into(options.seed)},
          {"--dir", into(options.dir)}})) {
    return usage(argv[0]);
  }
  if (options.tablets < 2 || options.tablets > 2000 || options.teams < 1 ||
      options.teams > options.tablets || options.spreadMs < 0 || options.spreadMs > 600'000 ||
      options.changes < 1 || options.changes > 5000 || options.rounds < 1 || options.rounds > 100 ||
      options.pullLimit < 1) {
    return usage(argv[0]);
  }
  try {
    return opcat::bench::run(options);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "benchmark failed: %s\n", e.what());
    return 1;
  }
}
