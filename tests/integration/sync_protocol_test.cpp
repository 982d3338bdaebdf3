// The sync protocol against the real server on 127.0.0.1: enrollment, push/pull round trips for
// every record kind, idempotency, the authorization matrix, revocation, malformed input.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <random>
#include <thread>

#include "core/uuid.h"
#include "crypto/sealed_box.h"
#include "domain/access_incident.h"
#include "domain/document_review.h"
#include "domain/observation.h"
#include "domain/registry.h"
#include "seeded_server.h"
#include "storage/database.h"
#include "support/change_builder.h"
#include "support/sample_records.h"
#include "support/server_process.h"
#include "support/sync_client.h"
#include "support/temp_dir.h"
#include "sync/codec/change_proto.h"
#include "sync/codec/record_fields.h"
#include "sync/merge.h"

namespace opcat::testing {
namespace {

using Outcome = v1::ChangeResult;

class SyncProtocolTest : public ::testing::Test {
 protected:
  void SetUp() override {
    m_data = seedServerData(m_temp.path() / "server");
    ServerProcess::Options options;
    options.dataDir = m_temp.path() / "server";
    m_server = std::make_unique<ServerProcess>(options);
  }

  // An enrolled client for `code`, with its change builder.
  struct Tablet {
    std::unique_ptr<SyncClient> client;
    std::unique_ptr<ChangeBuilder> changes;
  };
  Tablet enroll(const std::string& code) {
    Tablet t{std::make_unique<SyncClient>(m_server->url()),
             std::make_unique<ChangeBuilder>(newUuid())};
    EXPECT_EQ(t.client->enroll(code, t.changes->deviceId()), 200);
    return t;
  }

  static int problemCode(const std::string& body) {
    v1::Problem p;
    return p.ParseFromString(body) ? p.code() : -1;
  }

  TempDir m_temp;
  SeededData m_data;
  std::unique_ptr<ServerProcess> m_server;
};

TEST_F(SyncProtocolTest, AnEnrollmentCodeWorksOnceAndReturnsTheOfficeKey) {
  SyncClient client(m_server->url());
  v1::EnrollResponse reply;
  const std::string deviceId = newUuid();
  ASSERT_EQ(client.enroll(m_data.codeA, deviceId, &reply), 200);
  EXPECT_EQ(reply.device_id(), deviceId);
  EXPECT_EQ(reply.monitor_id(), m_data.monitorA);
  EXPECT_GE(reply.device_token().size(), 40u);
  EXPECT_EQ(reply.office_public_key(), std::string(m_data.office.publicKey.bytes.begin(),
                                                   m_data.office.publicKey.bytes.end()));
  EXPECT_EQ(reply.office_key_id(), m_data.office.publicKey.id());

  SyncClient again(m_server->url());
  v1::EnrollRequest request;
  request.set_code(m_data.codeA);
  request.set_device_id(newUuid());
  auto reused = again.post("/v1/enroll", request.SerializeAsString(), "application/x-protobuf",
                           false);
  EXPECT_EQ(reused.status, 403);
  EXPECT_EQ(problemCode(reused.body), 1406);
  request.set_code("AAAAA-BBBBB");
  EXPECT_EQ(problemCode(again.post("/v1/enroll", request.SerializeAsString(),
                                   "application/x-protobuf", false)
                            .body),
            1406);
  request.set_code(m_data.codeSpare);
  request.set_device_id(deviceId);  // already enrolled under this id
  auto taken = again.post("/v1/enroll", request.SerializeAsString(), "application/x-protobuf", false);
  EXPECT_EQ(taken.status, 409);
  request.set_device_id("tablet-7");
  auto bad = again.post("/v1/enroll", request.SerializeAsString(), "application/x-protobuf", false);
  EXPECT_EQ(bad.status, 400);
}

TEST_F(SyncProtocolTest, EveryRecordKindRoundTripsToAnotherTabletOfTheTeam) {
  Tablet a = enroll(m_data.codeA);
  Tablet a2 = enroll(m_data.codeA2);
  const std::string visit = m_data.visit1;

  auto finding = sampleFinding(visit);
  auto interview = sampleInterview(visit);
  domain::IdentityRecord identity;
  identity.id = newUuid();
  identity.interviewId = interview.id;
  identity.sealedDetails = *crypto::sealToOffice("Серикбаев Нурлан", m_data.office.publicKey);
  identity.officeKeyId = m_data.office.publicKey.id();
  identity.capturedAtMs = kSampleTimeMs;
  domain::Observation observation;
  observation.id = newUuid();
  observation.visitId = visit;
  observation.area = domain::ThematicArea::kMaterialConditions;
  observation.answer = std::int64_t{3};
  observation.notes = "Площадь на человека 3 м² в камере 5";
  observation.observedAtMs = kSampleTimeMs;
  domain::DocumentReview review;
  review.id = newUuid();
  review.visitId = visit;
  review.documentKind = domain::DocumentKind::kCustodyRegister;
  review.title = "Журнал учёта задержанных, ноябрь";
  review.discrepancies = {{"Задержан 14:10, зарегистрирован 21:40", "№ 1184"}};
  review.reviewedAtMs = kSampleTimeMs;
  domain::AccessIncident incident;
  incident.id = newUuid();
  incident.visitId = visit;
  incident.kind = domain::AccessIncidentKind::kEntryDelayed;
  incident.occurredAtMs = kSampleTimeMs;
  incident.delayMinutes = 40;
  incident.description = "Вход задержан до прибытия начальника";
  auto attachment = sampleAttachmentMeta(visit, finding.id);
  attachment.sha256 = std::string(32, '\x11');
  attachment.sizeBytes = 1234;
  auto recommendation = sampleRecommendation(visit, m_data.institution);
  domain::RecommendationEvent event;
  event.id = newUuid();
  event.recommendationId = recommendation.id;
  event.status = domain::RecommendationStatus::kAccepted;
  event.source = domain::RecommendationEventSource::kFollowUpVisit;
  event.atMs = kSampleTimeMs;
  auto submitted = sampleReviewEvent(visit);
  submitted.state = domain::ReviewState::kSubmitted;

  std::vector<sync::Change> batch = {
      a.changes->create(finding),   a.changes->create(interview),  a.changes->create(identity),
      a.changes->create(observation), a.changes->create(review),   a.changes->create(incident),
      a.changes->create(attachment), a.changes->create(recommendation),
      a.changes->create(event),     a.changes->create(submitted)};
  long status = 0;
  auto pushed = a.client->push(batch, &status);
  ASSERT_TRUE(pushed) << status;
  ASSERT_EQ(pushed->results_size(), static_cast<int>(batch.size()));
  for (const auto& r : pushed->results()) {
    EXPECT_EQ(r.outcome(), Outcome::OUTCOME_ACCEPTED) << r.reason();
  }

  std::uint64_t cursor = 0;
  const auto pulled = a2.client->pullAll(cursor);
  EXPECT_EQ(cursor, pushed->cursor());
  std::map<std::string, std::string> contentById;
  std::map<domain::RecordKind, int> kinds;
  for (const auto& proto : pulled) {
    auto change = codec::changeFromProto(proto);
    ASSERT_TRUE(change.isOk()) << change.status().toString();
    ++kinds[change->kind];
    auto content = codec::applyFields(change->kind, contentById[change->recordId], change->fields);
    ASSERT_TRUE(content.isOk());
    contentById[change->recordId] = *content;
  }
  EXPECT_EQ(contentById[finding.id], codec::encode(finding));
  EXPECT_EQ(contentById[interview.id], codec::encode(interview));
  EXPECT_EQ(contentById[identity.id], codec::encode(identity));
  EXPECT_EQ(contentById[observation.id], codec::encode(observation));
  EXPECT_EQ(contentById[review.id], codec::encode(review));
  EXPECT_EQ(contentById[incident.id], codec::encode(incident));
  EXPECT_EQ(contentById[attachment.id], codec::encode(attachment));
  EXPECT_EQ(contentById[recommendation.id], codec::encode(recommendation));
  EXPECT_EQ(contentById[event.id], codec::encode(event));
  EXPECT_EQ(contentById[submitted.id], codec::encode(submitted));
  // The registry, people and the team's visit come down too.
  for (auto kind : {domain::RecordKind::kRegion, domain::RecordKind::kInstitution,
                    domain::RecordKind::kMonitor, domain::RecordKind::kTeam,
                    domain::RecordKind::kVisit}) {
    EXPECT_GE(kinds[kind], 1) << domain::recordKindName(kind);
  }
  EXPECT_EQ(kinds[domain::RecordKind::kVisit], 1) << "only the team's own visit";
}

TEST_F(SyncProtocolTest, ReplayedReorderedAndConcurrentPushesTakeEffectOnce) {
  Tablet a = enroll(m_data.codeA);
  Tablet a2 = enroll(m_data.codeA2);
  std::vector<sync::Change> batch;
  for (int i = 0; i < 20; ++i) batch.push_back(a.changes->create(sampleFinding(m_data.visit1)));
  auto first = a.client->push(batch);
  ASSERT_TRUE(first);
  const std::uint64_t head = first->cursor();

  std::mt19937 rng(7);
  for (int round = 0; round < 4; ++round) {
    auto shuffled = batch;
    std::shuffle(shuffled.begin(), shuffled.end(), rng);
    auto again = a.client->push(shuffled);
    ASSERT_TRUE(again);
    for (const auto& r : again->results()) EXPECT_EQ(r.outcome(), Outcome::OUTCOME_ACCEPTED);
    EXPECT_EQ(again->cursor(), head) << "a replay must not grow the log";
  }
  // The same new batch on two connections at once.
  std::vector<sync::Change> more;
  for (int i = 0; i < 20; ++i) more.push_back(a.changes->create(sampleFinding(m_data.visit1)));
  SyncClient second(m_server->url());
  second.setToken(a.client->token());
  std::optional<v1::PushResponse> r1, r2;
  std::thread t1([&] { r1 = a.client->push(more); });
  std::thread t2([&] { r2 = second.push(more); });
  t1.join();
  t2.join();
  ASSERT_TRUE(r1 && r2);
  EXPECT_EQ(std::max(r1->cursor(), r2->cursor()), head + 20);

  std::uint64_t cursor = 0;
  std::map<std::string, int> seen;
  for (const auto& c : a2.client->pullAll(cursor)) ++seen[c.record_id()];
  for (const auto& c : batch) EXPECT_EQ(seen[c.recordId], 1);
  for (const auto& c : more) EXPECT_EQ(seen[c.recordId], 1);
}

// The writer commits the pushes waiting at one moment in one transaction. A push that fails in
// the store there (here a trigger refuses to record one tablet's last contact, after its changes
// were written) must fail alone: the pushes committed with it are accepted and kept, and
// nothing of the failed one stays.
TEST_F(SyncProtocolTest, APushThatFailsInTheStoreFailsAloneAndLeavesNoTrace) {
  Tablet a = enroll(m_data.codeA);
  Tablet a2 = enroll(m_data.codeA2);
  Tablet b = enroll(m_data.codeB);
  const std::string failing = b.changes->deviceId();
  {
    auto db = storage::Database::open(m_temp.path() / "server" / "opcat-server.db", false);
    ASSERT_TRUE(db.isOk()) << db.status().toString();
    ASSERT_TRUE((*db)->exec("CREATE TRIGGER injected_fault BEFORE UPDATE OF last_seen_at_ms ON "
                            "devices WHEN NEW.id = '" + failing + "' BEGIN "
                            "SELECT RAISE(ABORT, 'injected fault'); END")
                    .isOk());
  }
  // Three tablets pushing at once, so the writer finds several pushes waiting.
  constexpr int kRounds = 12, kPerPush = 100;
  struct Pushes {
    Tablet* tablet;
    std::string visit;
    std::vector<long> statuses;
    std::vector<std::string> recordIds;
  };
  std::vector<Pushes> pushers = {{&a, m_data.visit1, {}, {}},
                                 {&a2, m_data.visit1, {}, {}},
                                 {&b, m_data.visit2, {}, {}}};
  std::vector<std::thread> threads;
  for (auto& p : pushers) {
    threads.emplace_back([&p] {
      for (int round = 0; round < kRounds; ++round) {
        std::vector<sync::Change> batch;
        for (int i = 0; i < kPerPush; ++i) {
          batch.push_back(p.tablet->changes->create(sampleFinding(p.visit)));
          p.recordIds.push_back(batch.back().recordId);
        }
        long status = 0;
        auto reply = p.tablet->client->push(batch, &status);
        p.statuses.push_back(status);
        if (reply) {
          for (const auto& r : reply->results()) {
            EXPECT_EQ(r.outcome(), Outcome::OUTCOME_ACCEPTED) << r.reason();
          }
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  for (long status : pushers[0].statuses) EXPECT_EQ(status, 200);
  for (long status : pushers[1].statuses) EXPECT_EQ(status, 200);
  for (long status : pushers[2].statuses) EXPECT_EQ(status, 500);

  // The team's tablets see every finding of theirs exactly once.
  Tablet reader = enroll(m_data.codeSpare);
  std::uint64_t cursor = 0;
  std::map<std::string, int> seen;
  for (const auto& c : reader.client->pullAll(cursor)) ++seen[c.record_id()];
  for (int p = 0; p < 2; ++p) {
    for (const auto& id : pushers[static_cast<std::size_t>(p)].recordIds) {
      EXPECT_EQ(seen[id], 1);
    }
  }
  // Nothing of the failed pushes: no record, no log entry.
  auto db = storage::Database::open(m_temp.path() / "server" / "opcat-server.db", false);
  ASSERT_TRUE(db.isOk());
  auto count = [&](const std::string& sql) {
    auto s = (*db)->prepare(sql);
    EXPECT_TRUE(s.isOk());
    return s.isOk() && s->step() ? s->columnInt(0) : -1;
  };
  EXPECT_EQ(count("SELECT count(*) FROM change_log WHERE device_id = '" + failing + "'"), 0);
  EXPECT_EQ(count("SELECT count(*) FROM records WHERE scope = '" + m_data.visit2 +
                  "' AND kind = " + std::to_string(static_cast<int>(domain::RecordKind::kFinding))),
            0);
}

TEST_F(SyncProtocolTest, ATabletTouchesAndSeesOnlyItsTeamsVisits) {
  Tablet a = enroll(m_data.codeA);
  Tablet b = enroll(m_data.codeB);
  auto secret = sampleFinding(m_data.visit1);
  secret.title = "FOREIGN-CANARY камера 3";
  ASSERT_EQ(a.client->push({a.changes->create(secret)})->results(0).outcome(),
            Outcome::OUTCOME_ACCEPTED);

  auto expectRejected = [&](Tablet& t, const sync::Change& c, int code) {
    auto r = t.client->push({c});
    ASSERT_TRUE(r);
    EXPECT_EQ(r->results(0).outcome(), Outcome::OUTCOME_REJECTED);
    EXPECT_EQ(r->results(0).problem_code(), code) << r->results(0).reason();
  };
  // Into another team's visit.
  expectRejected(b, b.changes->create(sampleFinding(m_data.visit1)), 1403);
  // Editing another team's record.
  auto hijack = secret;
  hijack.title = "overwritten";
  expectRejected(b, b.changes->edit(secret, hijack, {}), 1403);
  // The registry and people are read-only for tablets.
  domain::Region region{newUuid(), "KZ-75", {"Алматы қаласы", "город Алматы", "Almaty (city)"}};
  expectRejected(b, b.changes->create(region), 1404);
  // Changes in another device's name.
  ChangeBuilder impostor(a.changes->deviceId());
  expectRejected(b, impostor.create(sampleFinding(m_data.visit2)), 1403);
  // Visits are planned by the office; approval is the office's.
  expectRejected(b, b.changes->create(sampleVisit(m_data.institution)), 1403);
  auto approval = sampleReviewEvent(m_data.visit2);
  approval.state = domain::ReviewState::kApproved;
  expectRejected(b, b.changes->create(approval), 1403);

  std::uint64_t cursor = 0;
  std::string bodies;
  const auto pulled = b.client->pullAll(cursor, &bodies);
  EXPECT_FALSE(pulled.empty());
  EXPECT_EQ(bodies.find(m_data.visit1), std::string::npos) << "no byte of the foreign visit";
  EXPECT_EQ(bodies.find(secret.id), std::string::npos);
  EXPECT_EQ(bodies.find("FOREIGN-CANARY"), std::string::npos);
  const auto events = auditEvents(m_temp.path() / "server");
  EXPECT_GE(std::count(events.begin(), events.end(), "change.refused"), 5)
      << "refused attempts are security events";
}

TEST_F(SyncProtocolTest, APushThatAsksForAPullGetsThePageAPullSentNextWouldGet) {
  Tablet a = enroll(m_data.codeA);
  Tablet a2 = enroll(m_data.codeA2);
  Tablet b = enroll(m_data.codeB);
  const auto fromTeammate = sampleFinding(m_data.visit1);
  ASSERT_TRUE(a.client->push({a.changes->create(fromTeammate)}));
  auto foreign = sampleFinding(m_data.visit2);
  foreign.title = "FOREIGN-CANARY";
  ASSERT_TRUE(b.client->push({b.changes->create(foreign)}));

  v1::PushRequest request;
  const auto own = sampleFinding(m_data.visit1);
  codec::changeToProto(a2.changes->create(own), *request.add_changes());
  request.mutable_pull()->set_cursor(0);
  request.mutable_pull()->set_limit(1000);
  const HttpResponse combined = a2.client->post("/v1/sync/push", request.SerializeAsString());
  ASSERT_EQ(combined.status, 200) << combined.body;
  v1::PushResponse reply;
  ASSERT_TRUE(reply.ParseFromString(combined.body));
  ASSERT_EQ(reply.results_size(), 1);
  EXPECT_EQ(reply.results(0).outcome(), Outcome::OUTCOME_ACCEPTED);
  ASSERT_TRUE(reply.has_pulled());
  const v1::PullResponse& page = reply.pulled();
  EXPECT_EQ(page.next_cursor(), reply.cursor()) << "read after the push was committed";
  EXPECT_FALSE(page.has_more());
  std::vector<std::string> ids;
  for (const auto& c : page.changes()) ids.push_back(c.record_id());
  EXPECT_NE(std::find(ids.begin(), ids.end(), fromTeammate.id), ids.end());
  EXPECT_EQ(std::find(ids.begin(), ids.end(), own.id), ids.end()) << "its own change is skipped";
  EXPECT_EQ(combined.body.find("FOREIGN-CANARY"), std::string::npos) << "another team's data";

  const auto next = a2.client->pull(0, 1000);
  ASSERT_TRUE(next);
  ASSERT_EQ(next->changes_size(), page.changes_size());
  for (int i = 0; i < page.changes_size(); ++i) {
    EXPECT_EQ(next->changes(i).SerializeAsString(), page.changes(i).SerializeAsString());
  }
  EXPECT_EQ(next->next_cursor(), page.next_cursor());

  const auto plain = a2.client->push({a2.changes->create(sampleFinding(m_data.visit1))});
  ASSERT_TRUE(plain);
  EXPECT_FALSE(plain->has_pulled()) << "a push that does not ask gets no page";
}

TEST_F(SyncProtocolTest, ARevokedDeviceIsRefusedAtItsNextRequest) {
  Tablet a = enroll(m_data.codeA);
  ASSERT_TRUE(a.client->push({a.changes->create(sampleFinding(m_data.visit1))}));
  revokeDevice(m_temp.path() / "server", a.changes->deviceId());
  long status = 0;
  EXPECT_FALSE(a.client->push({a.changes->create(sampleFinding(m_data.visit1))}, &status));
  EXPECT_EQ(status, 401);
  EXPECT_FALSE(a.client->pull(0, 10, &status));
  EXPECT_EQ(status, 401);
}

TEST_F(SyncProtocolTest, ConcurrentEditsOfOneFieldAreBothKeptAsAConflict) {
  Tablet a = enroll(m_data.codeA);
  Tablet a2 = enroll(m_data.codeA2);
  const auto original = sampleFinding(m_data.visit1);
  const sync::Change created = a.changes->create(original);
  ASSERT_TRUE(a.client->push({created}));
  const sync::FieldVersion seen{created.hlc, a.changes->deviceId()};
  auto mine = original;
  mine.title = "Нет вентиляции (А)";
  auto theirs = original;
  theirs.title = "Вентиляция не работает (А2)";
  const sync::Change myEdit = a.changes->edit(original, mine, {seen});
  ASSERT_EQ(a.client->push({myEdit})->results(0).outcome(), Outcome::OUTCOME_ACCEPTED);
  ASSERT_EQ(a2.client->push({a2.changes->edit(original, theirs, {seen})})->results(0).outcome(),
            Outcome::OUTCOME_ACCEPTED);
  // Tablet A holds its own two changes; the pull brings it A2's edit, and only that: a device
  // is not sent back what it pushed.
  sync::RecordMergeState state;
  sync::applyChange(state, created);
  sync::applyChange(state, myEdit);
  std::uint64_t cursor = 0;
  int pulled = 0;
  for (const auto& proto : a.client->pullAll(cursor)) {
    EXPECT_NE(proto.id().device_id(), a.changes->deviceId());
    if (proto.record_id() != original.id) continue;
    ++pulled;
    sync::applyChange(state, *codec::changeFromProto(proto));
  }
  EXPECT_EQ(pulled, 1);
  EXPECT_EQ(state.conflictedFields(), std::vector<std::uint32_t>{10});
  ASSERT_EQ(state.fields().at(10).size(), 2u);
}

// Each tablet validates its own edits; a merge of two valid concurrent edits can still break a
// rule that ties fields together, and the server must keep such an edit as the tablets keep the
// merge. A new record, or an edit breaking a field's own rule, is still refused.
TEST_F(SyncProtocolTest, AMergeMayBreakARuleBetweenFieldsButNoEditBreaksAFieldsOwnRule) {
  Tablet a = enroll(m_data.codeA);
  Tablet a2 = enroll(m_data.codeA2);
  ChangeBuilder later(a2.changes->deviceId(), 1'764'000'100'000);  // A2's versions are greater
  auto individual = sampleInterview(m_data.visit1);
  const sync::Change created = a.changes->create(individual);
  ASSERT_EQ(a.client->push({created})->results(0).outcome(), Outcome::OUTCOME_ACCEPTED);
  const sync::FieldVersion seen{created.hlc, a.changes->deviceId()};
  auto group = individual;
  group.kind = domain::InterviewKind::kGroup;
  group.groupSize = 5;
  auto one = individual;
  one.groupSize = 1;
  ASSERT_EQ(a.client->push({a.changes->edit(individual, group, {seen})})->results(0).outcome(),
            Outcome::OUTCOME_ACCEPTED);
  auto merged = a2.client->push({later.edit(individual, one, {seen})});
  ASSERT_TRUE(merged);
  EXPECT_EQ(merged->results(0).outcome(), Outcome::OUTCOME_ACCEPTED)
      << "a valid edit was refused because of what it was merged with: "
      << merged->results(0).reason();

  auto tooLarge = one;
  tooLarge.groupSize = 1'000'000;
  auto named = individual;
  named.pseudonymCode = "Иванов";
  auto newGroupOfOne = sampleInterview(m_data.visit1);
  newGroupOfOne.kind = domain::InterviewKind::kGroup;
  newGroupOfOne.groupSize = 1;
  auto refused = a2.client->push({later.edit(one, tooLarge, {seen}),
                                  later.edit(individual, named, {seen}),
                                  later.create(newGroupOfOne)});
  ASSERT_TRUE(refused);
  ASSERT_EQ(refused->results_size(), 3);
  for (const auto& result : refused->results()) {
    EXPECT_EQ(result.outcome(), Outcome::OUTCOME_REJECTED) << result.reason();
  }
  EXPECT_NE(refused->results(0).reason().find("group_size"), std::string::npos);
  EXPECT_NE(refused->results(1).reason().find("pseudonym_code"), std::string::npos);
  EXPECT_NE(refused->results(2).reason().find("group_size"), std::string::npos);
}

TEST_F(SyncProtocolTest, MalformedInputGetsNumberedProblemsAndTheServerKeepsServing) {
  Tablet a = enroll(m_data.codeA);
  SyncClient anonymous(m_server->url());
  const std::string valid = [&] {
    v1::PushRequest r;
    codec::changeToProto(a.changes->create(sampleFinding(m_data.visit1)), *r.add_changes());
    return r.SerializeAsString();
  }();
  auto noToken = anonymous.post("/v1/sync/push", valid);
  EXPECT_EQ(noToken.status, 401);
  EXPECT_EQ(problemCode(noToken.body), 1401);
  anonymous.setToken("forged-token");
  EXPECT_EQ(anonymous.post("/v1/sync/push", valid).status, 401);

  auto json = a.client->post("/v1/sync/push", "{}", "application/json");
  EXPECT_EQ(json.status, 415);
  EXPECT_EQ(problemCode(json.body), 1003);
  std::mt19937 rng(3);
  for (int i = 0; i < 20; ++i) {
    std::string junk(static_cast<std::size_t>(1 + rng() % 300), '\0');
    for (char& ch : junk) ch = static_cast<char>(rng());
    auto r = a.client->post("/v1/sync/push", junk);
    EXPECT_TRUE(r.status == 400 || r.status == 200) << r.status;  // some junk parses as empty
  }
  auto truncated = a.client->post("/v1/sync/push", valid.substr(0, valid.size() / 2));
  EXPECT_EQ(truncated.status, 400);
  EXPECT_EQ(problemCode(truncated.body), 1010);

  // Per-change refusals: bad UTF-8, an unknown enum value, a non-UUID id.
  // A title field (number 10, wire type 2) whose bytes are not UTF-8.
  sync::Change badText = a.changes->create(sampleFinding(m_data.visit1));
  for (auto& f : badText.fields) {
    if (f.number == 10) f.value = std::string("\x52\x02\xC0\xAF", 4);
  }
  auto badEnum = sampleFinding(m_data.visit1);
  badEnum.severity = static_cast<domain::Severity>(99);
  sync::Change badId = a.changes->create(sampleFinding(m_data.visit1));
  badId.recordId = "finding-1";
  auto good = sampleFinding(m_data.visit1);
  auto reply = a.client->push({badText, a.changes->create(badEnum), badId,
                               a.changes->create(good)});
  ASSERT_TRUE(reply);
  EXPECT_EQ(reply->results(0).outcome(), Outcome::OUTCOME_REJECTED);
  EXPECT_EQ(reply->results(0).problem_code(), 1011) << reply->results(0).reason();
  EXPECT_EQ(reply->results(1).problem_code(), 1012);
  EXPECT_NE(reply->results(1).reason().find("severity"), std::string::npos);
  EXPECT_EQ(reply->results(2).problem_code(), 1011);
  EXPECT_EQ(reply->results(3).outcome(), Outcome::OUTCOME_ACCEPTED) << "valid ones still apply";

  std::vector<sync::Change> tooMany;
  for (int i = 0; i < 5001; ++i) tooMany.push_back(a.changes->create(sampleFinding(m_data.visit1)));
  long status = 0;
  EXPECT_FALSE(a.client->push(tooMany, &status));
  EXPECT_EQ(status, 413);
  auto huge = a.client->post("/v1/sync/push", std::string(17 << 20, 'x'));
  EXPECT_EQ(huge.status, 413);

  HttpClient http;
  EXPECT_EQ(http.get(m_server->url() + "/healthz").status, 200);
  const auto events = auditEvents(m_temp.path() / "server");
  EXPECT_GE(std::count(events.begin(), events.end(), "auth.refused"), 2);
  EXPECT_TRUE(a.client->pull(0, 10));
}

}  // namespace
}  // namespace opcat::testing
