#include "sync/client/sync_plan.h"

namespace opcat::sync {

std::size_t SyncPlan::pendingChanges() const {
  std::size_t n = 0;
  for (const auto& batch : pushBatches) n += batch.size();
  return n;
}

Result<SyncPlan> planSync(storage::TabletStore& store, const SyncLimits& limits) {
  SyncPlan plan;
  auto cursor = store.pullCursor();
  if (!cursor) return cursor.status();
  plan.pullFrom = *cursor;
  const std::size_t most = limits.pushBatchChanges * limits.maxPushBatches;
  auto entries = storage::Outbox(store).peekEncoded(most, static_cast<std::size_t>(-1));
  if (!entries) return entries.status();
  PushBatch batch;
  std::size_t bytes = 0;
  for (auto& entry : *entries) {
    const std::size_t size = entry.encoded.size();
    if (batch.size() > 0 &&
        (batch.size() >= limits.pushBatchChanges || bytes + size > limits.pushBatchBytes)) {
      plan.pushBatches.push_back(std::move(batch));
      batch = PushBatch{};
      bytes = 0;
    }
    bytes += size;
    batch.sequences.push_back(entry.sequence);
    batch.recordIds.push_back(std::move(entry.recordId));
    batch.encodedChanges.push_back(std::move(entry.encoded));
  }
  if (batch.size() > 0) plan.pushBatches.push_back(std::move(batch));
  return plan;
}

}  // namespace opcat::sync
