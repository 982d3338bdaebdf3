// The first half of a sync: decide what to send and fetch, without touching the network.
// Planning and executing are separate so each can be tested alone (ownCloud's sync engine).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "core/status.h"
#include "storage/outbox.h"
#include "storage/tablet_store.h"
#include "sync/change.h"

namespace opcat::sync {

struct SyncLimits {
  std::size_t pushBatchChanges = 500;
  std::size_t pushBatchBytes = 1 << 20;  // encoded changes per push, at least one change
  std::uint32_t pullLimit = 1000;
  std::size_t maxPushBatches = 10'000;   // bounds one run
};

// One push request: outbox entries, oldest first, by sequence, with their record ids (index for
// index). Executing reads their bytes (Outbox::readEncoded) just before sending them, so a run
// holds two batches in memory, not the whole outbox.
struct PushBatch {
  std::vector<std::uint64_t> sequences;
  std::vector<std::string> recordIds;
  std::size_t bytes = 0;  // of encoded changes
  std::size_t size() const { return sequences.size(); }
};

struct SyncPlan {
  // The outbox, oldest first, cut into size-bounded batches.
  std::vector<PushBatch> pushBatches;
  std::uint64_t pullFrom = 0;  // the cursor to pull after
  std::size_t pendingChanges() const;
};

Result<SyncPlan> planSync(storage::TabletStore& store, const SyncLimits& limits);

}  // namespace opcat::sync
