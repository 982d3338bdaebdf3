#include "sync/client/sync_endpoint.h"

namespace opcat::sync {
namespace {

std::string joinLines(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) out += item + "\n";
  return out;
}

std::vector<std::string> splitLines(const std::string& text) {
  std::vector<std::string> out;
  std::size_t start = 0;
  for (std::size_t end; (end = text.find('\n', start)) != std::string::npos; start = end + 1) {
    if (end > start) out.push_back(text.substr(start, end - start));
  }
  return out;
}

}  // namespace

Result<SyncEndpoint> loadEndpoint(storage::TabletStore& store) {
  SyncEndpoint e;
  const std::pair<const char*, std::string*> text[] = {
      {"server_url", &e.serverUrl},        {"device_token", &e.deviceToken},
      {"ca_file", &e.caFile},              {"office_public_key", &e.officePublicKey},
      {"office_key_id", &e.officeKeyId},   {"monitor_id", &e.monitorId}};
  for (const auto& [name, target] : text) {
    auto value = store.secret(name);
    if (!value) return value.status();
    if (*value) *target = **value;
  }
  auto pins = store.secret("server_pins");
  if (!pins) return pins.status();
  if (*pins) e.pins = splitLines(**pins);
  if (e.serverUrl.empty() || e.deviceToken.empty()) {
    return Status::error(StatusCode::kNotFound,
                         "this tablet is not enrolled yet: enroll it with a code from the office");
  }
  return e;
}

Status saveEndpoint(storage::TabletStore& store, const SyncEndpoint& e) {
  OPCAT_RETURN_IF_ERROR(store.putSecret("server_url", e.serverUrl));
  OPCAT_RETURN_IF_ERROR(store.putSecret("device_token", e.deviceToken));
  OPCAT_RETURN_IF_ERROR(store.putSecret("server_pins", joinLines(e.pins)));
  OPCAT_RETURN_IF_ERROR(store.putSecret("ca_file", e.caFile));
  OPCAT_RETURN_IF_ERROR(store.putSecret("office_public_key", e.officePublicKey));
  OPCAT_RETURN_IF_ERROR(store.putSecret("office_key_id", e.officeKeyId));
  return store.putSecret("monitor_id", e.monitorId);
}

}  // namespace opcat::sync
