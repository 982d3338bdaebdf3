// Applies one change to the server's store, inside the caller's transaction: exactly-once
// bookkeeping, where the record belongs and who may touch it, the shared merge rules, domain
// validation of the merged record, access-control indexes and the change log. Pushes from
// tablets and the office's own writes (administration, the console) all come through here.
#pragma once

#include <cstdint>
#include <string>

#include "core/status.h"
#include "db/server_store.h"
#include "service/problem_code.h"
#include "sync/change.h"

namespace opcat::server {

// Who is applying: an enrolled tablet (limited to its monitor's visits) or the office itself.
struct Actor {
  enum class Kind { kDevice, kOffice };
  Kind kind = Kind::kDevice;
  std::string deviceId;   // the device whose changes these are (the office has one too)
  std::string monitorId;  // for devices
};

// The outcome for one change: accepted (now or earlier), or rejected for good with a reason.
struct ChangeVerdict {
  bool accepted = false;
  bool replay = false;  // accepted earlier; nothing changed now
  ProblemCode problem = ProblemCode::kInvalidChange;
  std::string reason;  // names ids and fields, never content
  std::uint64_t logSeq = 0;  // where it was logged, when accepted now

  static ChangeVerdict reject(ProblemCode code, std::string why) {
    return ChangeVerdict{false, false, code, std::move(why), 0};
  }
};

// The work on a change that needs no store, done before the single writer takes it (by the
// thread that received the push, while the writer applies earlier changes): the change's log
// bytes, and what it makes of a record the server does not have yet, the common case.
struct PreparedChange {
  std::string encoded;  // opcat.v1.Change bytes, as logged and pulled
  sync::RecordMergeState merge;
  Result<std::string> content = std::string();  // or why the fields do not make a record
  Status valid;                                  // domain validation of `content`
  std::string storedMerge;  // db::storedMergeState(merge, content), when content is valid
};
PreparedChange prepareChange(const sync::Change& change);

// Returns the verdict; a failed Status only for faults of the store itself (the caller then
// rolls back). A rejected change leaves no trace in the store. `prepared`, when given, is
// prepareChange(change), used up by the call; the verdict and the store are the same with or
// without it.
Result<ChangeVerdict> applyChange(db::StoreSession& session, const Actor& actor,
                                  const sync::Change& change, PreparedChange* prepared = nullptr);

}  // namespace opcat::server
