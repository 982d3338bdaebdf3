// libFuzzer target: the server's push path below HTTP. The input is a serialized
// opcat.v1.PushRequest; each change is decoded (codec::changeFromProto) and the valid ones are
// applied in order (server::applyChange) to a seeded store, as the tablet of the seeded monitor
// or, for changes from kOfficeDeviceId, as the office. All of one input runs in one write
// transaction that is rolled back at the end, so every input sees the seeded store.
//
// Besides the sanitizers, it aborts when a rule of the push path breaks:
// - a decoded change does not survive encodeChange → decodeChange (the log stores that form);
// - applyChange fails with a Status (it may do so only for faults of the store itself);
// - an accepted change, applied again, is not an accepted replay;
// - a rejected change or a replay changes the log;
// - an accepted record does not load back, or (when not deleted) fails validation;
// - a change prepared off the writer (prepareChange) gives another verdict or record than the
//   writer alone does.
#include <google/protobuf/stubs/logging.h>

#include <climits>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <optional>
#include <random>
#include <string>
#include <system_error>
#include <vector>

#include "fuzz_store.h"
#include "http/sync_resource.h"
#include "opcat/v1/sync.pb.h"
#include "sync/codec/change_codec.h"
#include "sync/codec/change_proto.h"
#include "sync/codec/record_validation.h"

namespace {

using namespace opcat;

std::filesystem::path g_dir;
server::db::ServerStore* g_store = nullptr;
bool g_verbose = false;  // OPCAT_FUZZ_VERBOSE=1: print each verdict (to read a crash input)

[[noreturn]] void fail(const std::string& what) {
  std::fprintf(stderr, "fuzz_push_apply: %s\n", what.c_str());
  std::abort();
}

std::string name(const sync::Change& c) {
  return std::string(domain::recordKindName(c.kind)) + " " + c.recordId + " (" + c.id.deviceId +
         " #" + std::to_string(c.id.sequence) + ")";
}

std::uint64_t logHead(server::db::StoreSession& session) {
  auto head = session.logHead();
  if (!head) fail("logHead: " + head.status().toString());
  return *head;
}

// What applying `change` gives: the verdict and the record afterwards.
struct Applied {
  server::ChangeVerdict verdict;
  std::optional<server::db::ServerRecord> record;
};

Applied apply(server::db::StoreSession& session, const server::Actor& actor,
              const sync::Change& change, server::PreparedChange* prepared) {
  auto verdict = server::applyChange(session, actor, change, prepared);
  if (!verdict) fail("applyChange failed for " + name(change) + ": " + verdict.status().toString());
  auto record = session.loadRecord(change.recordId);
  if (!record) fail("a record does not load: " + record.status().toString());
  return {*verdict, *record};
}

void checkOk(const Status& s, const char* what) {
  if (!s.isOk()) fail(std::string(what) + ": " + s.toString());
}

// The push path prepares a change on the receiving thread (prepareChange) and the writer uses
// it for a record the store does not have: the outcome must be the writer's own, exactly.
void checkSame(const sync::Change& change, const Applied& alone, const Applied& viaPrepared) {
  const server::ChangeVerdict& a = alone.verdict;
  const server::ChangeVerdict& b = viaPrepared.verdict;
  if (a.accepted != b.accepted || a.replay != b.replay || a.problem != b.problem ||
      a.reason != b.reason || a.logSeq != b.logSeq) {
    fail("prepared and unprepared verdicts differ for " + name(change) + ": '" + a.reason +
         "' vs '" + b.reason + "'");
  }
  const auto& x = alone.record;
  const auto& y = viaPrepared.record;
  if (x.has_value() != y.has_value() ||
      (x && (x->content != y->content || x->deleted != y->deleted || x->scope != y->scope ||
             !(x->merge == y->merge)))) {
    fail("prepared and unprepared records differ for " + name(change));
  }
}

void applyAndCheck(server::db::StoreSession& session, const sync::Change& change) {
  const server::Actor actor = fuzz::actorFor(change.id.deviceId);
  const std::uint64_t before = logHead(session);
  // With a prepared change first, undone; then as the writer alone, kept; both must agree.
  checkOk(session.savepoint("prepared"), "savepoint");
  server::PreparedChange prepared = server::prepareChange(change);
  const Applied viaPrepared = apply(session, actor, change, &prepared);
  checkOk(session.rollbackTo("prepared"), "rollback");  // and releases it
  const Applied alone = apply(session, actor, change, nullptr);
  checkSame(change, alone, viaPrepared);
  const server::ChangeVerdict* verdict = &alone.verdict;
  if (g_verbose) {
    std::fprintf(stderr, "%s: %s %s\n", name(change).c_str(),
                 !verdict->accepted ? "rejected"
                 : verdict->replay  ? "replay"
                                    : "accepted",
                 verdict->reason.c_str());
  }
  if (!verdict->accepted || verdict->replay) {
    if (logHead(session) != before)
      fail("a rejected change or a replay grew the log: " + name(change));
    return;
  }
  auto again = server::applyChange(session, actor, change);
  if (!again) fail("replay failed for " + name(change) + ": " + again.status().toString());
  if (!again->accepted || !again->replay)
    fail("a replay was not an accepted replay: " + name(change));
  if (logHead(session) != before + 1) fail("an accepted change did not log once: " + name(change));

  auto record = session.loadRecord(change.recordId);
  if (!record) fail("an accepted record does not load: " + record.status().toString());
  if (!*record) fail("an accepted record is missing: " + name(change));
  if (!(*record)->deleted) {
    const Status valid = codec::validateEncodedRecord((*record)->kind, (*record)->content);
    if (!valid.isOk()) fail("an accepted record is invalid: " + valid.toString());
  }
}

void removeStoreFolder() {
  std::error_code ignored;
  std::filesystem::remove_all(g_dir, ignored);
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int* /*argc*/, char*** /*argv*/) {
  google::protobuf::SetLogHandler(nullptr);  // parse failures are expected, not news
  const char* verbose = std::getenv("OPCAT_FUZZ_VERBOSE");
  g_verbose = verbose != nullptr && std::string(verbose) == "1";
  std::random_device random;
  g_dir = std::filesystem::temp_directory_path() /
          ("opcat-fuzz-push-" + std::to_string(random()) + std::to_string(random()));
  g_store = fuzz::openSeededStore(g_dir).release();  // lives as long as the process
  std::atexit(removeStoreFolder);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size > static_cast<std::size_t>(INT_MAX)) return 0;
  v1::PushRequest request;
  if (!request.ParseFromArray(data, static_cast<int>(size))) return 0;
  if (request.changes_size() > server::http::kMaxChangesPerPush) return 0;  // refused whole

  std::vector<sync::Change> valid;
  for (const v1::Change& proto : request.changes()) {
    auto change = codec::changeFromProto(proto);
    if (!change) continue;  // refused one by one, as the push resource does
    auto decoded = codec::decodeChange(codec::encodeChange(*change));
    if (!decoded) fail("an encoded change does not decode: " + decoded.status().toString());
    if (!(*decoded == *change)) fail("a change does not survive encode/decode: " + name(*change));
    valid.push_back(std::move(change).value());
  }
  if (valid.empty()) return 0;

  const Status rolledBack = g_store->write([&](server::db::StoreSession& session) -> Status {
    for (const sync::Change& change : valid) applyAndCheck(session, change);
    return Status::error(StatusCode::kInternal, "rolled back: the next input sees the seed");
  });
  if (rolledBack.code() != StatusCode::kInternal) fail("write: " + rolledBack.toString());
  return 0;
}
