// Benchmark of the tablet's encrypted store (prints figures; not a test).
//   1. Saving one finding (sealed, WAL, synchronous=FULL): p50/p95/p99 over N saves, interleaved
//      with a raw, unencrypted single-row SQLite commit of the same size on the same disk with
//      the same settings: the floor that fsync sets.
//   2. Inserting many findings in batches (one transaction per batch); then the sync paths
//      without the network: reading the outbox, applying its changes to a second store as pulled
//      pages, acknowledging them.
//   3. Listing a visit's findings by area, counting the outbox.
//   4. Unlocking: Argon2id at the production cost + opening the store.
//   5. Wiping a full store. 6. Peak memory.
// Usage: store_bench [--saves N] [--bulk N] [--batch N] [--dir DIR]
#include <sodium.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <filesystem>
#include <span>
#include <string>
#include <vector>

#include "bench_util.h"
#include "core/uuid.h"
#include "storage/database.h"
#include "storage/outbox.h"
#include "storage/repositories.h"
#include "storage/tablet_store.h"
#include "support/sample_records.h"
#include "support/temp_dir.h"
#include "sync/codec/record_codec.h"

namespace opcat::bench {
namespace {

using storage::TabletStore;

struct Options {
  int saves = 2000;
  int bulk = 20000;
  int batch = 500;
  std::filesystem::path dir;
};

int usage(const char* argv0) {
  std::fprintf(stderr, "usage: %s [--saves N] [--bulk N] [--batch N] [--dir DIR]\n", argv0);
  return 2;
}

// A finding of about 1 KB encoded, like a real one with a paragraph of description.
domain::Finding kilobyteFinding(const std::string& visitId, int i) {
  auto f = testing::sampleFinding(visitId, static_cast<domain::ThematicArea>(1 + i % 6),
                                  static_cast<domain::Severity>(1 + i % 4));
  f.description +=
      " Осмотр показал: окна камер заварены металлическими листами, вытяжная вентиляция не "
      "работает, температура в камерах 31 °C. Задержанные сообщили, что прогулки не "
      "проводились три дня. Администрация пояснила, что ремонт запланирован. No. " +
      std::to_string(i);
  return f;
}

void printRow(const char* what, double p50, double p95, double p99) {
  std::printf("  %-44s p50 %8.3f ms   p95 %8.3f ms   p99 %8.3f ms\n", what, p50, p95, p99);
}

int run(const Options& options) {
  if (sodium_init() < 0) return 1;
  testing::TempDir temp("opcat-bench");
  const std::filesystem::path root = options.dir.empty() ? temp.path() : options.dir;
  std::printf("Opcat Field store benchmark (data under %s)\n", root.c_str());

  storage::StoreOptions fast;
  fast.kdf = crypto::Argon2Params::fastForTests();  // unlock cost is measured separately below
  auto opened = TabletStore::create(root / "tablet", "bench passphrase", fast);
  if (!opened) {
    std::fprintf(stderr, "cannot create store: %s\n", opened.status().toString().c_str());
    return 1;
  }
  TabletStore& store = **opened;
  storage::FindingRepository findings(store);

  // The raw baseline: same pragmas (WAL, synchronous=FULL), one row per commit, same size.
  auto raw = storage::Database::open(root / "raw.db", true);
  if (!raw || !(*raw)->exec("CREATE TABLE raw(id TEXT PRIMARY KEY, body BLOB NOT NULL)").isOk()) {
    std::fprintf(stderr, "cannot create the raw baseline database\n");
    return 1;
  }
  const std::string sizeProbe = codec::encode(kilobyteFinding(newUuid(), 0));
  const std::size_t rawBytes = sizeProbe.size();

  // 1. Single saves, interleaved with raw commits so both see the same disk conditions.
  const std::string visit = newUuid();
  std::vector<double> saveMs, rawMs;
  auto rawInsert = (*raw)->prepare("INSERT INTO raw(id, body) VALUES (?1, ?2)");
  std::string rawBody(rawBytes, 'x');
  for (int i = 0; i < options.saves; ++i) {
    const auto finding = kilobyteFinding(visit, i);
    auto t0 = Clock::now();
    const Status s = findings.save(finding, "bench-monitor");
    saveMs.push_back(msSince(t0));
    if (!s.isOk()) {
      std::fprintf(stderr, "save failed: %s\n", s.toString().c_str());
      return 1;
    }
    rawBody[0] = static_cast<char>('a' + i % 26);
    rawInsert->reset();
    rawInsert->bind(1, newUuid()).bindBlob(2, rawBody);
    t0 = Clock::now();
    const Status r = rawInsert->run();
    rawMs.push_back(msSince(t0));
    if (!r.isOk()) return 1;
  }
  const double p95Save = percentile(saveMs, 95), p95Raw = percentile(rawMs, 95);
  std::printf("\n1. Save one finding (~%zu B encoded), %d saves, WAL + synchronous=FULL\n",
              rawBytes, options.saves);
  printRow("encrypted save (record+outbox+history)", percentile(saveMs, 50), p95Save,
           percentile(saveMs, 99));
  printRow("raw unencrypted single-row commit", percentile(rawMs, 50), p95Raw,
           percentile(rawMs, 99));
  std::printf("  ratio p95 encrypted / raw: %.2fx (target: within 3x)\n", p95Save / p95Raw);

  // 2. Bulk insert in batches.
  const std::string bulkVisit = newUuid();
  auto t0 = Clock::now();
  for (int done = 0; done < options.bulk; done += options.batch) {
    std::vector<domain::Finding> batch;
    for (int i = done; i < std::min(options.bulk, done + options.batch); ++i) {
      batch.push_back(kilobyteFinding(bulkVisit, i));
    }
    const Status s = findings.saveAll(batch, "bench-monitor");
    if (!s.isOk()) {
      std::fprintf(stderr, "batch failed: %s\n", s.toString().c_str());
      return 1;
    }
  }
  const double bulkMs = msSince(t0);
  std::printf("\n2. Insert %d findings in batches of %d: %.2f s, %.0f findings/s\n",
              options.bulk, options.batch, bulkMs / 1000.0, options.bulk / (bulkMs / 1000.0));

  // 2b. The sync paths without the network: the outbox read as a push would, its changes applied
  // to a second, empty store as pulled pages of 1000 (one transaction each, with the cursor),
  // then acknowledged in batches of 500.
  t0 = Clock::now();
  auto queued = storage::Outbox(store).peek(static_cast<std::size_t>(options.saves + options.bulk),
                                            static_cast<std::size_t>(-1));
  const double peekMs = msSince(t0);
  if (!queued) return 1;
  auto other = TabletStore::create(root / "tablet2", "bench passphrase", fast);
  if (!other) return 1;
  std::vector<sync::Change> changes;
  changes.reserve(queued->size());
  for (const auto& entry : *queued) changes.push_back(entry.change);
  const double pullCpu0 = cpuSeconds(::getpid());
  t0 = Clock::now();
  for (std::size_t done = 0; done < changes.size(); done += 1000) {
    const std::size_t n = std::min<std::size_t>(1000, changes.size() - done);
    auto applied = (*other)->applyPulled(std::span(changes).subspan(done, n), done + n);
    if (!applied) {
      std::fprintf(stderr, "pull failed: %s\n", applied.status().toString().c_str());
      return 1;
    }
  }
  const double pullMs = msSince(t0);
  const double pullCpu = cpuSeconds(::getpid()) - pullCpu0;
  other.value().reset();
  const double ackCpu0 = cpuSeconds(::getpid());
  t0 = Clock::now();
  for (std::size_t done = 0; done < queued->size(); done += 500) {
    std::vector<std::uint64_t> sequences;
    for (std::size_t i = done; i < std::min(queued->size(), done + 500); ++i) {
      sequences.push_back((*queued)[i].sequence);
    }
    if (!storage::Outbox(store).acknowledge(sequences).isOk()) return 1;
  }
  const double ackMs = msSince(t0);
  const double ackCpu = cpuSeconds(::getpid()) - ackCpu0;
  const double n = static_cast<double>(changes.size());
  std::printf("\n2b. Sync paths for %zu changes, no network\n", changes.size());
  std::printf("  read the outbox (open + decode): %.0f ms, %.0f changes/s\n", peekMs,
              n / (peekMs / 1000.0));
  std::printf("  apply as pulled pages of 1000 into an empty store: %.0f ms (cpu %.0f ms), "
              "%.0f changes/s\n",
              pullMs, pullCpu * 1000, n / (pullMs / 1000.0));
  std::printf("  acknowledge in batches of 500: %.0f ms (cpu %.0f ms), %.0f changes/s\n", ackMs,
              ackCpu * 1000, n / (ackMs / 1000.0));

  // 3. Queries over sealed records.
  std::vector<double> listMs;
  std::size_t listed = 0;
  for (int i = 0; i < 20; ++i) {
    t0 = Clock::now();
    auto list = findings.byArea(visit);
    listMs.push_back(msSince(t0));
    if (!list) return 1;
    listed = list->size();
  }
  t0 = Clock::now();
  auto pending = storage::Outbox(store).pendingCount();
  const double countMs = msSince(t0);
  std::printf("\n3. Queries\n");
  std::printf("  a visit's %zu findings by area (SQL over sealed rows): p50 %.2f ms, max %.2f ms\n",
              listed, percentile(listMs, 50), percentile(listMs, 100));
  std::printf("  pending outbox count (%lld entries): %.3f ms\n",
              static_cast<long long>(pending ? *pending : -1), countMs);
  const auto dbBytes = std::filesystem::file_size(root / "tablet" / "opcat.db");
  opened.value().reset();

  // 4. Unlock at the production Argon2id cost.
  const auto params = crypto::Argon2Params::production();
  storage::StoreOptions production;
  auto created = TabletStore::create(root / "unlock", "бекітілді — approved", production);
  if (!created) return 1;
  created.value().reset();
  std::vector<double> unlockMs;
  for (int i = 0; i < 3; ++i) {
    t0 = Clock::now();
    auto again = TabletStore::open(root / "unlock", "бекітілді — approved", production);
    unlockMs.push_back(msSince(t0));
    if (!again) return 1;
  }
  std::printf("\n4. Unlock (Argon2id %llu ops, %zu MiB, + open): median %.0f ms, max %.0f ms "
              "(target 500-1000 ms)\n",
              static_cast<unsigned long long>(params.opsLimit), params.memLimitBytes >> 20,
              percentile(unlockMs, 50), percentile(unlockMs, 100));

  // 5. Wipe the full store.
  t0 = Clock::now();
  const Status wiped = TabletStore::wipe(root / "tablet");
  std::printf("\n5. Wipe a store of %.1f MiB: %.1f ms (%s)\n",
              static_cast<double>(dbBytes) / (1 << 20), msSince(t0), wiped.toString().c_str());

  std::printf("\n6. Peak memory (VmHWM) of this process: %.1f MiB\n", procStatusMiB("VmHWM"));
  std::printf(
      "\n{\"save_p50_ms\":%.3f,\"save_p95_ms\":%.3f,\"save_p99_ms\":%.3f,\"raw_p50_ms\":%.3f,"
      "\"raw_p95_ms\":%.3f,\"raw_p99_ms\":%.3f,\"bulk_findings_per_s\":%.0f,"
      "\"unlock_ms\":%.0f,\"peak_rss_mib\":%.1f}\n",
      percentile(saveMs, 50), p95Save, percentile(saveMs, 99), percentile(rawMs, 50), p95Raw,
      percentile(rawMs, 99), options.bulk / (bulkMs / 1000.0), percentile(unlockMs, 50),
      procStatusMiB("VmHWM"));
  return 0;
}

}  // namespace
}  // namespace opcat::bench

int main(int argc, char** argv) {
  opcat::bench::Options options;
  using opcat::bench::into;
  if (!opcat::bench::parseFlags(argc, argv, {{"--saves", into(options.saves)},
                                             {"--bulk", into(options.bulk)},
                                             {"--batch", into(options.batch)},
                                             {"--dir", into(options.dir)}})) {
    return opcat::bench::usage(argv[0]);
  }
  if (options.saves < 1 || options.bulk < 1 || options.batch < 1) return opcat::bench::usage(argv[0]);
  return opcat::bench::run(options);
}
