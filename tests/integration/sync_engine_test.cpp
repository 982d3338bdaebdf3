// The tablet's sync engine end to end: real encrypted stores, real libcurl, the real server.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include "core/uuid.h"
#include "net/curl_transport.h"
#include "seeded_server.h"
#include "storage/attachment_store.h"
#include "storage/outbox.h"
#include "storage/repositories.h"
#include "support/sample_records.h"
#include "support/server_process.h"
#include "support/temp_dir.h"
#include "sync/client/sync_engine.h"

namespace opcat::testing {
namespace {

class SyncEngineTest : public ::testing::Test {
 protected:
  void SetUp() override {
    m_data = seedServerData(m_temp.path() / "server");
    ServerProcess::Options options;
    options.dataDir = m_temp.path() / "server";
    m_server = std::make_unique<ServerProcess>(options);
  }

  struct Tablet {
    std::unique_ptr<storage::TabletStore> store;
    std::unique_ptr<net::CurlTransport> transport;
    std::unique_ptr<sync::SyncEngine> engine;
  };

  // A new encrypted store, not enrolled (fast key derivation).
  std::unique_ptr<storage::TabletStore> newStore(const std::string& name) {
    storage::StoreOptions options;
    options.kdf = crypto::Argon2Params::fastForTests();
    auto store = storage::TabletStore::create(m_temp.path() / name, "сынақ фразасы", options);
    EXPECT_TRUE(store.isOk()) << store.status().toString();
    return store.isOk() ? std::move(store).value() : nullptr;
  }

  Tablet tablet(const std::string& name, const std::string& code) {
    Tablet t;
    t.store = newStore(name);
    t.transport = std::make_unique<net::CurlTransport>(net::CurlOptions{});
    const Status enrolled =
        sync::enrollDevice(*t.store, *t.transport, m_server->url(), code, name, {}, "");
    EXPECT_TRUE(enrolled.isOk()) << enrolled.toString();
    auto endpoint = sync::loadEndpoint(*t.store);
    EXPECT_TRUE(endpoint.isOk());
    t.engine = std::make_unique<sync::SyncEngine>(*t.store, *t.transport, *endpoint);
    return t;
  }

  // A finding saved on `a` and synced to both tablets: the common start of concurrent work.
  domain::Finding findingOnBoth(Tablet& a, Tablet& a2) {
    auto finding = sampleFinding(m_data.visit1);
    EXPECT_TRUE(storage::FindingRepository(*a.store).save(finding, "a").isOk());
    syncOk(a);
    syncOk(a2);
    return finding;
  }

  static sync::SyncReport syncOk(Tablet& t) {
    auto report = t.engine->syncOnce();
    EXPECT_TRUE(report.isOk()) << report.status().toString();
    return report.isOk() ? *report : sync::SyncReport{};
  }

  TempDir m_temp;
  SeededData m_data;
  std::unique_ptr<ServerProcess> m_server;
};

TEST_F(SyncEngineTest, EnrollmentStoresTheEndpointSealedAndTheOfficeKey) {
  Tablet a = tablet("a", m_data.codeA);
  auto endpoint = sync::loadEndpoint(*a.store);
  ASSERT_TRUE(endpoint.isOk());
  EXPECT_EQ(endpoint->monitorId, m_data.monitorA);
  EXPECT_EQ(endpoint->officeKeyId, m_data.office.publicKey.id());
  EXPECT_EQ(endpoint->officePublicKey.size(), 32u);
}

// A URL the transport will not fetch is refused in the transport's words (not as missing pins,
// which only https needs), and nothing is stored.
TEST_F(SyncEngineTest, EnrollingWithAUrlTheTransportRefusesSaysWhy) {
  auto store = newStore("x");
  ASSERT_NE(store, nullptr);
  net::CurlTransport transport(net::CurlOptions{});
  const Status ftp =
      sync::enrollDevice(*store, transport, "ftp://127.0.0.1", m_data.codeA, "x", {}, "");
  EXPECT_EQ(net::netErrorOf(ftp), net::NetError::kProtocol) << ftp.toString();
  EXPECT_NE(ftp.message().find("only https://"), std::string::npos) << ftp.message();
  const Status plain =
      sync::enrollDevice(*store, transport, "http://192.0.2.1:8443", m_data.codeA, "x", {}, "");
  EXPECT_EQ(net::netErrorOf(plain), net::NetError::kTls) << plain.toString();
  EXPECT_NE(plain.message().find("TLS is required"), std::string::npos) << plain.message();
  EXPECT_FALSE(sync::loadEndpoint(*store).isOk()) << "nothing was stored";
}

TEST_F(SyncEngineTest, FindingsRecordedOfflineReachTheOtherTabletAndNothingIsLeftPending) {
  Tablet a = tablet("a", m_data.codeA);
  Tablet a2 = tablet("a2", m_data.codeA2);
  std::vector<domain::Finding> findings;
  storage::FindingRepository repo(*a.store);
  for (int i = 0; i < 1200; ++i) findings.push_back(sampleFinding(m_data.visit1));
  // More than one push batch and one pull page.
  ASSERT_TRUE(repo.saveAll(findings, "monitor-a").isOk());
  const auto pushed = syncOk(a);
  EXPECT_EQ(pushed.accepted, 1200u);
  EXPECT_EQ(pushed.rejected, 0u);
  EXPECT_EQ(*storage::Outbox(*a.store).pendingCount(), 0);

  const auto pulled = syncOk(a2);
  EXPECT_GE(pulled.applied, 1200u);
  storage::FindingRepository theirs(*a2.store);
  for (const auto& f : findings) {
    auto found = theirs.find(f.id);
    ASSERT_TRUE(found.isOk() && found->has_value()) << f.id;
    EXPECT_EQ(**found, f);
  }
  EXPECT_EQ(*a2.store->pullCursor(), pulled.cursor);
}

// Counts the commits of a tablet store's connection: each one is an fsync, which on a tablet's
// flash can cost more than the network round trip.
class CommitCounter {
 public:
  explicit CommitCounter(storage::TabletStore& store) : m_db(store.database().handle()) {
    sqlite3_commit_hook(m_db, &CommitCounter::onCommit, this);
  }
  ~CommitCounter() { sqlite3_commit_hook(m_db, nullptr, nullptr); }
  int commits() const { return m_commits; }

 private:
  static int onCommit(void* self) {
    ++static_cast<CommitCounter*>(self)->m_commits;
    return 0;
  }
  sqlite3* m_db;
  int m_commits = 0;
};

TEST_F(SyncEngineTest, ASyncWithNothingToDoIsOneRoundTripUnderTwoKilobytes) {
  Tablet a = tablet("a", m_data.codeA);
  syncOk(a);
  CommitCounter counter(*a.store);
  const auto idle = syncOk(a);
  EXPECT_EQ(idle.requests, 1u);
  EXPECT_LT(idle.bytesSent + idle.bytesReceived, 2048u);
  EXPECT_EQ(counter.commits(), 0) << "nothing changed, so nothing is written";
}

TEST_F(SyncEngineTest, OneEditIsAcknowledgedTogetherWithThePulledCursorInOneCommit) {
  Tablet a = tablet("a", m_data.codeA);
  syncOk(a);
  ASSERT_TRUE(storage::FindingRepository(*a.store).save(sampleFinding(m_data.visit1), "a").isOk());
  CommitCounter counter(*a.store);
  const auto report = syncOk(a);
  EXPECT_EQ(report.accepted, 1u);
  EXPECT_EQ(report.requests, 1u) << "the push brings back the first page of the pull";
  EXPECT_EQ(*storage::Outbox(*a.store).pendingCount(), 0);
  EXPECT_EQ(*a.store->pullCursor(), report.cursor);
  EXPECT_GT(report.cursor, 0u);
  EXPECT_EQ(counter.commits(), 1) << "the acknowledgement and the cursor share one commit";
}

TEST_F(SyncEngineTest, ConcurrentOfflineEditsConvergeWithTheConflictVisibleOnBothTablets) {
  Tablet a = tablet("a", m_data.codeA);
  Tablet a2 = tablet("a2", m_data.codeA2);
  const auto finding = findingOnBoth(a, a2);
  auto mine = finding;
  mine.title = "Окна заварены";
  auto theirs = finding;
  theirs.title = "Нет естественного освещения";
  theirs.severity = domain::Severity::kCritical;
  ASSERT_TRUE(storage::FindingRepository(*a.store).save(mine, "a").isOk());
  ASSERT_TRUE(storage::FindingRepository(*a2.store).save(theirs, "a2").isOk());
  syncOk(a);
  syncOk(a2);
  syncOk(a);
  auto onA = storage::FindingRepository(*a.store).find(finding.id);
  auto onA2 = storage::FindingRepository(*a2.store).find(finding.id);
  ASSERT_TRUE(onA.isOk() && onA2.isOk());
  EXPECT_EQ(**onA, **onA2) << "both tablets show the same current values";
  EXPECT_EQ((*onA)->severity, domain::Severity::kCritical) << "an unopposed edit just applies";
  for (auto* t : {&a, &a2}) {
    auto conflicted = t->store->conflictedRecords();
    ASSERT_TRUE(conflicted.isOk());
    ASSERT_EQ(conflicted->size(), 1u);
    EXPECT_EQ((*conflicted)[0].state.merge.conflictedFields(), std::vector<std::uint32_t>{10});
  }
}

// SYNC.md rule 5: an edit concurrent with a delete brings the record back, flagged; the
// monitor who keeps it (saves it unchanged) clears the flag on every tablet.
TEST_F(SyncEngineTest, ARecordBroughtBackByAConcurrentEditStaysFlaggedUntilSomeoneKeepsIt) {
  Tablet a = tablet("a", m_data.codeA);
  Tablet a2 = tablet("a2", m_data.codeA2);
  const auto finding = findingOnBoth(a, a2);
  ASSERT_TRUE(storage::FindingRepository(*a.store).remove(finding.id, "a").isOk());
  auto edited = finding;
  edited.title = "Нет естественного освещения";
  ASSERT_TRUE(storage::FindingRepository(*a2.store).save(edited, "a2").isOk());
  syncOk(a);
  syncOk(a2);
  syncOk(a);
  for (auto* t : {&a, &a2}) {
    auto back = storage::FindingRepository(*t->store).find(finding.id);
    ASSERT_TRUE(back.isOk() && back->has_value()) << "the unseen edit brings the finding back";
    EXPECT_EQ((*back)->title, edited.title);
    auto flagged = t->store->conflictedRecords();
    ASSERT_TRUE(flagged.isOk());
    ASSERT_EQ(flagged->size(), 1u);
    EXPECT_TRUE((*flagged)[0].state.merge.restoredAfterDelete());
  }
  // Saving it unchanged on a2 keeps it: one change with no field, only the delete it saw.
  auto shown = storage::FindingRepository(*a2.store).find(finding.id);
  ASSERT_TRUE(shown.isOk() && shown->has_value());
  ASSERT_TRUE(storage::FindingRepository(*a2.store).save(**shown, "a2").isOk());
  EXPECT_TRUE(a2.store->conflictedRecords()->empty()) << "kept here at once";
  EXPECT_EQ(syncOk(a2).accepted, 1u);
  syncOk(a);
  EXPECT_TRUE(a.store->conflictedRecords()->empty()) << "and on the other tablet after a sync";
  auto onA = storage::FindingRepository(*a.store).find(finding.id);
  ASSERT_TRUE(onA.isOk() && onA->has_value());
  EXPECT_EQ(**onA, **shown);
  // Saving it unchanged again queues nothing: there is nothing left to keep.
  ASSERT_TRUE(storage::FindingRepository(*a2.store).save(**shown, "a2").isOk());
  EXPECT_EQ(syncOk(a2).accepted, 0u);
}

TEST_F(SyncEngineTest, ARefusedChangeLeavesTheOutboxWithItsReasonKept) {
  Tablet a = tablet("a", m_data.codeA);
  ASSERT_TRUE(storage::FindingRepository(*a.store).save(sampleFinding(m_data.visit2), "a").isOk());
  const auto report = syncOk(a);
  EXPECT_EQ(report.rejected, 1u);
  EXPECT_EQ(*storage::Outbox(*a.store).pendingCount(), 0);
  auto stmt = a.store->database().prepare("SELECT problem_code FROM sync_rejections");
  ASSERT_TRUE(stmt->step());
  EXPECT_EQ(stmt->columnInt(0), 1403);
}

TEST_F(SyncEngineTest, AServerThatIsDownStopsTheRunAndTheNextRunResumes) {
  Tablet a = tablet("a", m_data.codeA);
  ASSERT_TRUE(storage::FindingRepository(*a.store).save(sampleFinding(m_data.visit1), "a").isOk());
  m_server->kill9();
  auto failed = a.engine->syncOnce();
  ASSERT_FALSE(failed.isOk());
  EXPECT_EQ(*storage::Outbox(*a.store).pendingCount(), 1) << "nothing is dropped";
  m_server->restart();
  const auto report = syncOk(a);
  EXPECT_EQ(report.accepted, 1u);
  EXPECT_EQ(*storage::Outbox(*a.store).pendingCount(), 0);
}

// A revoked tablet is told so, as a refusal of its token: not a network failure worth retrying,
// and not a wrong passphrase (an app must not count it as a failed unlock, nor lock the monitor
// out). What it recorded stays queued for the tablet's next enrollment.
TEST_F(SyncEngineTest, ARevokedTabletIsToldToEnrollAgainAndKeepsWhatItRecorded) {
  Tablet a = tablet("a", m_data.codeA);
  syncOk(a);
  ASSERT_TRUE(storage::FindingRepository(*a.store).save(sampleFinding(m_data.visit1), "a").isOk());
  revokeDevice(m_temp.path() / "server", a.store->deviceId());

  auto refused = a.engine->syncOnce();
  ASSERT_FALSE(refused.isOk());
  EXPECT_EQ(refused.status().code(), StatusCode::kUnauthenticated) << refused.status().toString();
  EXPECT_NE(refused.status().message().find("HTTP 401"), std::string::npos)
      << refused.status().message();
  EXPECT_NE(refused.status().message().find("enroll again"), std::string::npos)
      << refused.status().message();
  EXPECT_EQ(*storage::Outbox(*a.store).pendingCount(), 1) << "nothing is dropped";
}

TEST_F(SyncEngineTest, PhotosTravelToTheTeamVerifiedAndEncryptedAtRest) {
  Tablet a = tablet("a", m_data.codeA);
  Tablet a2 = tablet("a2", m_data.codeA2);
  std::vector<std::uint8_t> photo(2'500'000);  // more than two upload parts
  for (std::size_t i = 0; i < photo.size(); ++i) photo[i] = static_cast<std::uint8_t>(i * 7 + (i >> 9));
  const auto finding = sampleFinding(m_data.visit1);
  ASSERT_TRUE(storage::FindingRepository(*a.store).save(finding, "a").isOk());
  auto attached = storage::AttachmentStore(*a.store).addBytes(
      sampleAttachmentMeta(m_data.visit1, finding.id), photo, "a");
  ASSERT_TRUE(attached.isOk()) << attached.status().toString();
  auto empty = storage::AttachmentStore(*a.store).addBytes(
      sampleAttachmentMeta(m_data.visit1, finding.id), {}, "a");
  ASSERT_TRUE(empty.isOk());

  const auto sent = syncOk(a);
  EXPECT_EQ(sent.uploaded, 2u);
  EXPECT_TRUE(storage::AttachmentStore(*a.store).pendingUploads()->empty());
  const auto received = syncOk(a2);
  EXPECT_EQ(received.downloaded, 2u);
  std::vector<std::uint8_t> copy;
  ASSERT_TRUE(storage::AttachmentStore(*a2.store)
                  .read(attached->id,
                        [&](std::span<const std::uint8_t> chunk) {
                          copy.insert(copy.end(), chunk.begin(), chunk.end());
                        })
                  .isOk());
  EXPECT_EQ(copy, photo);
  EXPECT_EQ(syncOk(a2).requests, 1u) << "nothing left to move";
}

}  // namespace
}  // namespace opcat::testing
