// The outbox: local changes waiting for the server's acknowledgement, oldest first. An entry is
// written in the same transaction as its record and removed only once the server acknowledged it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "core/status.h"
#include "sync/change.h"

namespace opcat::storage {

class TabletStore;

struct OutboxEntry {
  std::uint64_t sequence = 0;
  sync::Change change;
  std::size_t encodedBytes = 0;  // the change's encoded (opcat.v1.Change) size
};

// An entry as stored: its opcat.v1.Change bytes, opened but not decoded, ready to be sent.
struct EncodedOutboxEntry {
  std::uint64_t sequence = 0;
  std::string recordId;
  std::string encoded;
};

class Outbox {
 public:
  explicit Outbox(TabletStore& store) : m_store(store) {}

  Result<std::int64_t> pendingCount();

  // The oldest changes: at most `maxChanges`, and no more than `maxBytes` of encoded changes
  // unless the first one alone is larger (a batch always makes progress). kTampered if an entry
  // fails to open or does not carry the sequence of its row.
  Result<std::vector<OutboxEntry>> peek(std::size_t maxChanges, std::size_t maxBytes);
  // The same entries without decoding them, for a push: the bytes go out as they were stored.
  // The id each carries is checked against its row (this device, the row's sequence).
  Result<std::vector<EncodedOutboxEntry>> peekEncoded(std::size_t maxChanges,
                                                      std::size_t maxBytes);

  // Removes acknowledged entries in one transaction (a record with no entry left is no longer
  // pending). Unknown sequences are ignored (a repeated acknowledgement).
  Status acknowledge(std::span<const std::uint64_t> sequences);

 private:
  TabletStore& m_store;
};

}  // namespace opcat::storage
