// A simulated tablet for the sync suites: a real encrypted TabletStore (fast Argon2), enrolled
// over HTTP(S) with a one-time code through the real libcurl transport, and the sync engine
// built from the endpoint the enrollment stored, as the app and opcat-sync build it.
#pragma once

#include <filesystem>
#include <memory>
#include <string>

#include "net/curl_transport.h"
#include "storage/tablet_store.h"
#include "sync/client/sync_engine.h"
#include "sync/hlc.h"

namespace opcat::testing {

struct SuiteTablet {
  std::string name;  // also the author id of its edits
  std::unique_ptr<storage::TabletStore> store;
  std::unique_ptr<net::CurlTransport> transport;
  std::unique_ptr<sync::SyncEngine> engine;

  // Builds transport and engine again from the endpoint stored in the store (after the test
  // changed it, say), with `trust` for the CA file; pins come from the store.
  void reconnect(const net::CurlOptions& trust = {});
};

struct TabletOptions {
  net::CurlOptions curl;  // pins and CA used to enroll; the enrollment stores them
  sync::HybridClock::WallClock wallClock = &sync::HybridClock::systemWallClockMs;
};

// Creates a store in `dir` and enrolls it with `code`. Throws std::runtime_error saying why.
SuiteTablet makeTablet(const std::filesystem::path& dir, const std::string& name,
                       const std::string& serverUrl, const std::string& code,
                       const TabletOptions& options = {});

// A TempDir prefix under /dev/shm when it is there: the suites test merging and the protocol,
// not durability (the fault suites kill processes for that), and fsync on a slow CI disk would
// take most of their time. TempDir joins an absolute prefix as it is. Falls back to `name` (in
// the system temp folder).
std::string fastScratchPrefix(const std::string& name);

// Passphrase of every suite store.
inline constexpr char kSuitePassphrase[] = "сынақ-фраза";

}  // namespace opcat::testing
