// What the crash and bad-network suites share: a real tablet (encrypted store, CurlTransport,
// SyncEngine) enrolled on a seeded server and syncing with any URL (the server itself or a
// TcpProxy in front of it); the oracle's view of a replica (a visit's findings as id → canonical
// bytes) and of the server's change log; and the OPCAT_FAULT_SCALE knob for long runs.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "net/curl_transport.h"
#include "seeded_server.h"
#include "storage/tablet_store.h"
#include "sync/change.h"
#include "sync/client/sync_engine.h"

namespace opcat::testing {

inline constexpr char kFaultPassphrase[] = "сабақ — fault suite";

// Counts multiplied by OPCAT_FAULT_SCALE (default 1; only values above 1 count), at least 1.
std::size_t scaled(std::size_t base);

// The cheapest Argon2 cost: the suites open stores hundreds of times.
storage::StoreOptions fastStoreOptions();

struct FaultTablet {
  std::unique_ptr<storage::TabletStore> store;
  std::unique_ptr<net::CurlTransport> transport;
  std::unique_ptr<sync::SyncEngine> engine;
  std::string monitorId;
};

// Creates a store in `dir`, enrolls it for `monitorId` through the server's own service
// (enrollDeviceAs: no rate limit, and the enrollment itself does not cross a faulty link) and
// points its engine at `url`. Throws std::runtime_error on failure.
FaultTablet makeFaultTablet(const std::filesystem::path& dir, const std::filesystem::path& serverData,
                            const SeededData& seeded, const std::string& monitorId,
                            const std::string& url, const net::CurlOptions& curl = {});

// A visit's live findings as id → codec::encode(finding), the canonical bytes the oracle
// compares. kCorrupt if an id is listed twice (a duplicated record).
using Replica = std::map<std::string, std::string>;
Result<Replica> findingsOf(storage::TabletStore& store, const std::string& visitId);

// A short hex digest of a replica (BLAKE2b over the sorted ids and contents).
std::string digestOf(const Replica& replica);

// What `actual` lacks, holds differently or holds in excess of `expected`, for failure messages;
// empty when they are equal.
std::string differences(const Replica& expected, const Replica& actual, std::size_t maxItems = 5);

// The server's change log read from its SQLite file (a live server is fine: WAL readers do not
// block it).
struct ServerLog {
  std::uint64_t head = 0;  // the highest seq, 0 when empty
  struct Entry {
    std::uint64_t seq = 0;
    sync::Change change;
  };
  std::vector<Entry> entries;
};
ServerLog readServerLog(const std::filesystem::path& serverData);

}  // namespace opcat::testing
