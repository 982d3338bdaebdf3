#include "suite_tablet.h"

#include <unistd.h>

#include <stdexcept>
#include <system_error>

#include "sync/client/sync_endpoint.h"

namespace opcat::testing {

std::string fastScratchPrefix(const std::string& name) {
  std::error_code ec;
  if (std::filesystem::is_directory("/dev/shm", ec) && ::access("/dev/shm", W_OK) == 0) {
    return "/dev/shm/" + name;
  }
  return name;
}

void SuiteTablet::reconnect(const net::CurlOptions& trust) {
  auto endpoint = sync::loadEndpoint(*store);
  if (!endpoint) throw std::runtime_error(name + ": " + endpoint.status().toString());
  net::CurlOptions options = trust;
  options.pins = endpoint->pins;
  if (options.caFile.empty()) options.caFile = endpoint->caFile;
  engine.reset();
  transport = std::make_unique<net::CurlTransport>(options);
  engine = std::make_unique<sync::SyncEngine>(*store, *transport, *endpoint);
}

SuiteTablet makeTablet(const std::filesystem::path& dir, const std::string& name,
                       const std::string& serverUrl, const std::string& code,
                       const TabletOptions& options) {
  SuiteTablet tablet;
  tablet.name = name;
  storage::StoreOptions storeOptions;
  storeOptions.kdf = crypto::Argon2Params::fastForTests();
  storeOptions.wallClock = options.wallClock;
  auto store = storage::TabletStore::create(dir, kSuitePassphrase, storeOptions);
  if (!store) throw std::runtime_error(name + ": create store: " + store.status().toString());
  tablet.store = std::move(store).value();
  net::CurlTransport enrolling(options.curl);
  const Status enrolled = sync::enrollDevice(*tablet.store, enrolling, serverUrl, code, name,
                                             options.curl.pins, options.curl.caFile);
  if (!enrolled.isOk()) throw std::runtime_error(name + ": enroll: " + enrolled.toString());
  tablet.reconnect(options.curl);
  return tablet;
}

}  // namespace opcat::testing
