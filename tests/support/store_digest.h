// StoreDigest: a canonical summary of the records a replica holds, so that tablets and the server
// can be compared after a sync: for each record its id, kind, parent, deleted flag, current
// content bytes, every field head (number, version clock and device, author, value) and the
// whole merge state (deletes included). Two replicas that applied the same changes must give
// equal digests; diff() says which records differ and how.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/status.h"
#include "domain/record_kind.h"
#include "storage/tablet_store.h"

namespace opcat::testing {

struct HeadDigest {
  std::uint32_t field = 0;
  std::uint64_t hlc = 0;
  std::string deviceId;
  std::string authorId;
  std::string value;  // the encoded field; empty when cleared
  friend auto operator<=>(const HeadDigest&, const HeadDigest&) = default;
};

struct RecordDigest {
  domain::RecordKind kind = domain::RecordKind::kFinding;
  std::string id;
  std::string parentId;
  bool deleted = false;
  std::string content;            // the current opcat.v1 message bytes
  std::vector<HeadDigest> heads;  // sorted; current values and open conflicts alike
  std::string mergeState;         // RecordMergeState::serialize(): canonical, deletes included
  friend bool operator==(const RecordDigest&, const RecordDigest&) = default;
  // One line for failure messages: kind, id, flags, sizes and heads (values as short hex).
  std::string describe() const;
};

class StoreDigest {
 public:
  std::map<std::string, RecordDigest> records;  // by record id

  // SHA-256 (hex) of a canonical encoding of every record: equal digests, equal hashes.
  std::string hash() const;
  friend bool operator==(const StoreDigest&, const StoreDigest&) = default;

  // What differs between `a` and `b` (records missing on either side, or unequal), at most
  // `limit` records described; empty when equal.
  static std::string diff(const StoreDigest& a, const StoreDigest& b, std::size_t limit = 8);
};

// Which records to digest. Default: all of them.
struct DigestSelection {
  // Only the record with this id and the records whose parent it is (e.g. a visit and the
  // findings, observations, interviews and attachments recorded in it).
  std::optional<std::string> underParent;
  // Server only: only records in these scopes (visit ids; "" for the registry and people that
  // every device receives). Ignored for tablets, which hold only what they may see.
  std::optional<std::vector<std::string>> serverScopes;
};

// Every selected record of a tablet store.
Result<StoreDigest> digestTabletStore(storage::TabletStore& store,
                                      const DigestSelection& selection = {});

// Every selected record of the server's store in `dataDir` (opcat-server.db), read from one
// snapshot; the server may be running (WAL).
Result<StoreDigest> digestServerStore(const std::filesystem::path& dataDir,
                                      const DigestSelection& selection = {});

}  // namespace opcat::testing
