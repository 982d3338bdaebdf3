// Where and as whom a tablet syncs: the server URL, the device token and the server's
// certificate pins, kept sealed in the tablet store (never in a settings file).
#pragma once

#include <string>
#include <vector>

#include "core/status.h"
#include "storage/tablet_store.h"

namespace opcat::sync {

struct SyncEndpoint {
  std::string serverUrl;  // e.g. https://npm.example.kz:8443
  std::string deviceToken;
  std::vector<std::string> pins;  // "sha256//BASE64": current + backup
  std::string caFile;             // optional office CA (path on the tablet)
  std::string officePublicKey;    // 32 raw bytes, to seal identities
  std::string officeKeyId;
  std::string monitorId;
};

// kNotFound when the tablet has not been enrolled yet.
Result<SyncEndpoint> loadEndpoint(storage::TabletStore& store);
Status saveEndpoint(storage::TabletStore& store, const SyncEndpoint& endpoint);

}  // namespace opcat::sync
