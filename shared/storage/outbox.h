// The outbox: local changes waiting for the server's acknowledgement, oldest first. An entry is
// written in the same transaction as its record and removed only once the server acknowledged it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "sync/change.h"

namespace opcat::storage {

class Database;
class TabletStore;

struct OutboxEntry {
  std::uint64_t sequence = 0;
  sync::Change change;
  std::size_t encodedBytes = 0;  // the change's encoded (opcat.v1.Change) size
};

// What planning a push needs of an entry, read from the clear columns without opening it.
struct OutboxSlot {
  std::uint64_t sequence = 0;
  std::string recordId;
  std::size_t encodedBytes = 0;  // the size of its opcat.v1.Change bytes once opened
};

class Outbox {
 public:
  explicit Outbox(TabletStore& store) : m_store(store) {}

  Result<std::int64_t> pendingCount();

  // The oldest changes: at most `maxChanges`, and no more than `maxBytes` of encoded changes
  // unless the first one alone is larger (a batch always makes progress). kTampered if an entry
  // fails to open or does not carry the sequence of its row.
  Result<std::vector<OutboxEntry>> peek(std::size_t maxChanges, std::size_t maxBytes);
  // The oldest `maxChanges` entries' sequences, record ids and sizes, nothing opened: a plan of
  // many batches does not hold every change in memory at once.
  Result<std::vector<OutboxSlot>> slots(std::size_t maxChanges);
  // The stored bytes of the entries `sequences` (ascending, as slots() gave them), opened but not
  // decoded: a push sends them as they are. Each entry's id is checked against its row (this
  // device, the row's sequence), as peek does. kNotFound when one is no longer in the outbox.
  Result<std::vector<std::string>> readEncoded(std::span<const std::uint64_t> sequences);

  // Removes acknowledged entries in one transaction (a record with no entry left is no longer
  // pending). Unknown sequences are ignored (a repeated acknowledgement).
  Status acknowledge(std::span<const std::uint64_t> sequences);
  // The same inside a transaction the caller holds (e.g. applying a pulled page, so that one
  // commit records both).
  static Status acknowledgeWithin(Database& db, std::span<const std::uint64_t> sequences);

 private:
  // Opens row `seq` of `recordId` and checks the id its bytes carry.
  Result<std::string> open(std::uint64_t seq, std::string_view recordId,
                           std::string_view sealed) const;

  TabletStore& m_store;
};

}  // namespace opcat::storage
