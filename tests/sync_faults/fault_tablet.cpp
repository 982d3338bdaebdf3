#include "fault_tablet.h"

#include <sodium.h>

#include <cstdlib>
#include <stdexcept>

#include "storage/database.h"
#include "storage/repositories.h"
#include "sync/client/sync_endpoint.h"
#include "sync/codec/change_codec.h"
#include "sync/codec/record_codec.h"

namespace opcat::testing {

std::size_t scaled(std::size_t base) {
  const char* text = std::getenv("OPCAT_FAULT_SCALE");
  const double factor = text != nullptr ? std::strtod(text, nullptr) : 1.0;
  const double n = static_cast<double>(base) * (factor > 1.0 ? factor : 1.0);
  return std::max<std::size_t>(1, static_cast<std::size_t>(n));
}

storage::StoreOptions fastStoreOptions() {
  storage::StoreOptions options;
  options.kdf = crypto::Argon2Params::fastForTests();
  return options;
}

FaultTablet makeFaultTablet(const std::filesystem::path& dir,
                            const std::filesystem::path& serverData, const SeededData& seeded,
                            const std::string& monitorId, const std::string& url,
                            const net::CurlOptions& curl) {
  FaultTablet t;
  auto store = storage::TabletStore::create(dir, kFaultPassphrase, fastStoreOptions());
  if (!store) throw std::runtime_error("create store: " + store.status().toString());
  t.store = std::move(store).value();
  const EnrolledDevice device =
      enrollDeviceAs(serverData, monitorId, t.store->deviceId(), dir.filename().string());
  const auto& key = seeded.office.publicKey;
  const sync::SyncEndpoint endpoint{url,
                                    device.token,
                                    {},
                                    "",
                                    std::string(key.bytes.begin(), key.bytes.end()),
                                    key.id(),
                                    monitorId};
  const Status saved = sync::saveEndpoint(*t.store, endpoint);
  if (!saved.isOk()) throw std::runtime_error("save endpoint: " + saved.toString());
  t.transport = std::make_unique<net::CurlTransport>(curl);
  t.engine = std::make_unique<sync::SyncEngine>(*t.store, *t.transport, endpoint);
  t.monitorId = monitorId;
  return t;
}

Result<Replica> findingsOf(storage::TabletStore& store, const std::string& visitId) {
  auto findings = storage::FindingRepository(store).listByParent(visitId);
  if (!findings) return findings.status();
  Replica replica;
  for (const domain::Finding& f : *findings) {
    if (!replica.emplace(f.id, codec::encode(f)).second) {
      return Status::error(StatusCode::kCorrupt, "finding " + f.id + " is listed twice");
    }
  }
  return replica;
}

std::string digestOf(const Replica& replica) {
  crypto_generichash_state state;
  crypto_generichash_init(&state, nullptr, 0, 16);
  for (const auto& [id, content] : replica) {
    const std::string sizes = std::to_string(id.size()) + ":" + std::to_string(content.size());
    for (const std::string* part : {&sizes, &id, &content}) {
      crypto_generichash_update(&state, reinterpret_cast<const unsigned char*>(part->data()),
                                part->size());
    }
  }
  unsigned char hash[16];
  crypto_generichash_final(&state, hash, sizeof hash);
  char hex[2 * sizeof hash + 1];
  sodium_bin2hex(hex, sizeof hex, hash, sizeof hash);
  return hex;
}

std::string differences(const Replica& expected, const Replica& actual, std::size_t maxItems) {
  std::size_t lost = 0, wrong = 0, extra = 0;
  std::string examples;
  auto note = [&](const char* what, const std::string& id) {
    if (lost + wrong + extra <= maxItems) examples += std::string(" ") + what + " " + id + ";";
  };
  for (const auto& [id, content] : expected) {
    const auto found = actual.find(id);
    if (found == actual.end()) {
      ++lost;
      note("lost", id);
    } else if (found->second != content) {
      ++wrong;
      note("differs", id);
    }
  }
  for (const auto& [id, content] : actual) {
    if (!expected.count(id)) {
      ++extra;
      note("unexpected", id);
    }
  }
  if (lost + wrong + extra == 0) return {};
  return std::to_string(lost) + " lost, " + std::to_string(wrong) + " with other content, " +
         std::to_string(extra) + " unexpected (of " + std::to_string(expected.size()) +
         " expected):" + examples;
}

ServerLog readServerLog(const std::filesystem::path& serverData) {
  auto db = storage::Database::open(serverData / "opcat-server.db", false);
  if (!db) throw std::runtime_error("open server db: " + db.status().toString());
  auto rows = (*db)->prepare("SELECT seq, change FROM change_log ORDER BY seq");
  if (!rows) throw std::runtime_error("read change_log: " + rows.status().toString());
  ServerLog log;
  while (rows->step()) {
    const auto seq = static_cast<std::uint64_t>(rows->columnInt(0));
    auto change = codec::decodeChange(rows->columnBlob(1));
    if (!change) {
      throw std::runtime_error("change " + std::to_string(seq) +
                               " does not decode: " + change.status().toString());
    }
    log.head = std::max(log.head, seq);
    log.entries.push_back({seq, std::move(change).value()});
  }
  if (!rows->status().isOk()) throw std::runtime_error(rows->status().toString());
  return log;
}

}  // namespace opcat::testing
