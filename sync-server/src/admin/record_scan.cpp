#include "admin/record_scan.h"

#include <set>
#include <string>

#include "sync/codec/change_codec.h"

namespace opcat::server::admin {

Result<std::vector<db::ServerRecord>> sharedRecordsOfKind(db::StoreSession& session,
                                                          domain::RecordKind kind) {
  constexpr std::size_t kPage = 1000;
  std::vector<std::string> ids;
  std::set<std::string, std::less<>> seen;
  std::uint64_t after = 0;
  while (true) {
    // No monitor: only the entries every device receives.
    auto page = session.readLogForMonitor(after, kPage, "", "");
    if (!page) return page.status();
    for (const db::LoggedChange& logged : page->first) {
      auto change = codec::decodeChange(logged.encoded);
      if (!change) return change.status();
      if (change->kind == kind && seen.insert(change->recordId).second) {
        ids.push_back(change->recordId);
      }
    }
    if (page->first.size() < kPage || page->second <= after) break;
    after = page->second;
  }
  std::vector<db::ServerRecord> records;
  for (const std::string& id : ids) {
    auto record = session.loadRecord(id);
    if (!record) return record.status();
    if (*record && (*record)->kind == kind && !(*record)->deleted) {
      records.push_back(std::move(**record));
    }
  }
  return records;
}

}  // namespace opcat::server::admin
