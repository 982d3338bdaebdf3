// Writes the fuzzers' seed corpus: small valid inputs that reach deep into each target.
//   make_corpus OUT_DIR   → OUT_DIR/push_apply/*.pb, OUT_DIR/record_fields/*.bin
// The committed corpus (tests/fuzz/corpus) was made with it; run it again after the contract
// changes (cmake --build --preset fuzz --target make_corpus; build/fuzz/tests/fuzz/make_corpus
// tests/fuzz/corpus).
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <string>
#include <vector>

#include "domain/access_incident.h"
#include "domain/document_review.h"
#include "domain/observation.h"
#include "domain/people.h"
#include "domain/registry.h"
#include "fuzz_store.h"
#include "opcat/v1/sync.pb.h"
#include "record_fields_input.h"
#include "support/change_builder.h"
#include "support/sample_records.h"
#include "support/temp_dir.h"
#include "sync/codec/change_proto.h"
#include "sync/codec/record_codec.h"
#include "sync/merge.h"

namespace {

using namespace opcat;
using testing::ChangeBuilder;
namespace fs = std::filesystem;

// Deterministic ids for records the seeds create: ...-0000000001NN.
std::string seedId(int n) {
  char text[40];
  std::snprintf(text, sizeof text, "00000000-0000-4000-8000-%012d", 100 + n);
  return text;
}

void writeFile(const fs::path& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << bytes;
  if (!out) throw std::runtime_error("cannot write " + path.string());
}

// The seeded store's state of one record, as a tablet that pulled it holds it.
sync::RecordMergeState seededState(server::db::ServerStore& store, const std::string& id) {
  sync::RecordMergeState state;
  const Status read = store.read([&](server::db::StoreSession& s) -> Status {
    auto record = s.loadRecord(id);
    if (!record) return record.status();
    if (*record) state = (*record)->merge;
    return Status::ok();
  });
  if (!read.isOk()) throw std::runtime_error(read.toString());
  return state;
}

domain::Finding seededFinding() {
  domain::Finding f = testing::sampleFinding(fuzz::kVisitId);
  f.id = fuzz::kFindingId;
  f.sources = {{domain::SourceKind::kInterview, fuzz::kInterviewId}};
  f.authorMonitorId = fuzz::kMonitorId;
  return f;
}

domain::Finding newFinding(int n, const std::string& visit = fuzz::kVisitId) {
  domain::Finding f = testing::sampleFinding(visit);
  f.id = seedId(n);
  f.sources = {{domain::SourceKind::kObservation, seedId(n + 50)}};
  f.authorMonitorId = fuzz::kMonitorId;
  f.title = "Находка " + std::to_string(n);
  return f;
}

// Stamps `change` against `state` as a tablet does, then applies it there.
sync::Change stamped(sync::RecordMergeState& state, sync::Change change) {
  sync::stampLocalChange(state, change);
  sync::applyChange(state, change);
  return change;
}

class PushCorpus {
 public:
  PushCorpus(fs::path dir, server::db::ServerStore& store)
      : m_dir(std::move(dir)), m_store(store) {}

  // One PushRequest file; `make` gets fresh builders for the tablet and the office.
  void add(const std::string& name,
           const std::function<std::vector<sync::Change>(ChangeBuilder&, ChangeBuilder&)>& make) {
    ChangeBuilder tablet(fuzz::kDeviceId, fuzz::kSeedTimeMs + 60'000);
    ChangeBuilder office(fuzz::kOfficeDeviceId, fuzz::kSeedTimeMs + 120'000);
    v1::PushRequest request;
    for (sync::Change change : make(tablet, office)) {
      // The seed used the office's first sequence numbers; its new changes come after them.
      if (change.id.deviceId == fuzz::kOfficeDeviceId) change.id.sequence += officeSequence();
      codec::changeToProto(change, *request.add_changes());
    }
    writeFile(m_dir / (name + ".pb"), request.SerializeAsString());
  }
  sync::RecordMergeState state(const std::string& id) { return seededState(m_store, id); }

  std::uint64_t officeSequence() {
    std::uint64_t last = 0;
    const Status read = m_store.read([&](server::db::StoreSession& s) -> Status {
      auto value = s.setting("office_last_seq");
      if (!value) return value.status();
      if (*value) last = std::stoull(**value);
      return Status::ok();
    });
    if (!read.isOk()) throw std::runtime_error(read.toString());
    return last;
  }

 private:
  fs::path m_dir;
  server::db::ServerStore& m_store;
};

void writePushCorpus(const fs::path& dir) {
  fs::create_directories(dir);
  testing::TempDir temp("opcat-make-corpus");
  auto store = fuzz::openSeededStore(temp.path() / "store");
  PushCorpus corpus(dir, *store);
  using Changes = std::vector<sync::Change>;
  const std::string visit = fuzz::kVisitId;

  corpus.add("create_finding", [&](ChangeBuilder& t, ChangeBuilder&) {
    return Changes{t.create(newFinding(1), fuzz::kMonitorId)};
  });
  // One file per kind a tablet creates in a visit.
  {
    domain::Interview interview = testing::sampleInterview(visit);
    interview.id = seedId(2);
    interview.authorMonitorId = fuzz::kMonitorId;
    domain::IdentityRecord identity;
    identity.id = seedId(3);
    identity.interviewId = interview.id;
    identity.sealedDetails = std::string(80, '\x5a');
    identity.officeKeyId = "office-key-1";
    identity.capturedAtMs = testing::kSampleTimeMs;
    domain::DocumentReview review;
    review.id = seedId(4);
    review.visitId = visit;
    review.documentKind = domain::DocumentKind::kCustodyRegister;
    review.title = "Журнал учёта задержанных, ноябрь";
    review.discrepancies = {{"Задержан 14:10, зарегистрирован 21:40", "№ 1184"}};
    review.reviewedAtMs = testing::kSampleTimeMs;
    domain::AccessIncident incident;
    incident.id = seedId(5);
    incident.visitId = visit;
    incident.kind = domain::AccessIncidentKind::kEntryDelayed;
    incident.occurredAtMs = testing::kSampleTimeMs;
    incident.delayMinutes = 40;
    incident.description = "Вход задержан до прибытия начальника";
    domain::Attachment attachment = testing::sampleAttachmentMeta(visit, fuzz::kFindingId);
    attachment.id = seedId(6);
    attachment.sha256 = std::string(32, '\x11');
    attachment.sizeBytes = 1234;
    domain::Recommendation recommendation =
        testing::sampleRecommendation(visit, fuzz::kInstitutionId);
    recommendation.id = seedId(7);
    domain::RecommendationEvent event;
    event.id = seedId(8);
    event.recommendationId = fuzz::kRecommendationId;
    event.status = domain::RecommendationStatus::kAccepted;
    event.source = domain::RecommendationEventSource::kFollowUpVisit;
    event.atMs = testing::kSampleTimeMs;
    domain::ReviewEvent submitted = testing::sampleReviewEvent(visit);
    submitted.id = seedId(9);
    submitted.authorId = fuzz::kMonitorId;
    submitted.state = domain::ReviewState::kSubmitted;
    const std::string m = fuzz::kMonitorId;
    corpus.add("create_interview_and_identity", [&](ChangeBuilder& t, ChangeBuilder&) {
      return Changes{t.create(interview, m), t.create(identity, m)};
    });
    corpus.add("create_document_review",
               [&](ChangeBuilder& t, ChangeBuilder&) { return Changes{t.create(review, m)}; });
    corpus.add("create_access_incident",
               [&](ChangeBuilder& t, ChangeBuilder&) { return Changes{t.create(incident, m)}; });
    corpus.add("create_attachment",
               [&](ChangeBuilder& t, ChangeBuilder&) { return Changes{t.create(attachment, m)}; });
    corpus.add("create_recommendation", [&](ChangeBuilder& t, ChangeBuilder&) {
      return Changes{t.create(recommendation, m)};
    });
    corpus.add("create_recommendation_event",
               [&](ChangeBuilder& t, ChangeBuilder&) { return Changes{t.create(event, m)}; });
    corpus.add("create_review_event",
               [&](ChangeBuilder& t, ChangeBuilder&) { return Changes{t.create(submitted, m)}; });
  }
  corpus.add("observation_answer_oneof", [&](ChangeBuilder& t, ChangeBuilder&) {
    domain::Observation before;
    before.id = seedId(10);
    before.visitId = visit;
    before.area = domain::ThematicArea::kMaterialConditions;
    before.answer = std::int64_t{3};
    before.notes = "Площадь на человека 3 м² в камере 5";
    before.observedAtMs = testing::kSampleTimeMs;
    domain::Observation after = before;
    after.answer = std::string("Окна заварены");
    domain::Observation last = after;
    last.answer = std::vector<std::string>{"no-window", "no-light"};
    sync::RecordMergeState state;
    Changes out{stamped(state, t.create(before, fuzz::kMonitorId))};
    out.push_back(stamped(state, t.edit(before, after, {}, fuzz::kMonitorId)));
    out.push_back(stamped(state, t.edit(after, last, {}, fuzz::kMonitorId)));
    return out;
  });
  corpus.add("edit_seeded_finding", [&](ChangeBuilder& t, ChangeBuilder&) {
    auto state = corpus.state(fuzz::kFindingId);
    domain::Finding after = seededFinding();
    after.title = "Вентиляция восстановлена частично";
    after.severity = domain::Severity::kMedium;
    return Changes{stamped(state, t.edit(seededFinding(), after, {}, fuzz::kMonitorId))};
  });
  corpus.add("delete_seeded_finding", [&](ChangeBuilder& t, ChangeBuilder&) {
    auto state = corpus.state(fuzz::kFindingId);
    sync::Change del =
        t.fromFields(domain::RecordKind::kFinding, fuzz::kFindingId, visit, {}, fuzz::kMonitorId);
    del.deleted = true;
    return Changes{stamped(state, std::move(del))};
  });
  corpus.add("create_then_edit_twice", [&](ChangeBuilder& t, ChangeBuilder&) {
    sync::RecordMergeState state;
    domain::Finding v1 = newFinding(11);
    domain::Finding v2 = v1;
    v2.title = "Находка 11, уточнено";
    domain::Finding v3 = v2;
    v3.description += " Повторный осмотр подтвердил.";
    v3.severity = domain::Severity::kCritical;
    return Changes{stamped(state, t.create(v1, fuzz::kMonitorId)),
                   stamped(state, t.edit(v1, v2, {}, fuzz::kMonitorId)),
                   stamped(state, t.edit(v2, v3, {}, fuzz::kMonitorId))};
  });
  corpus.add("concurrent_edits_conflict", [&](ChangeBuilder& t, ChangeBuilder& o) {
    auto mine = corpus.state(fuzz::kFindingId);
    auto theirs = mine;
    domain::Finding a = seededFinding();
    a.title = "Нет вентиляции (планшет)";
    domain::Finding b = seededFinding();
    b.title = "Вентиляция не работает (офис)";
    return Changes{stamped(mine, t.edit(seededFinding(), a, {}, fuzz::kMonitorId)),
                   stamped(theirs, o.edit(seededFinding(), b, {}, "coordinator"))};
  });
  corpus.add("edit_concurrent_with_delete", [&](ChangeBuilder& t, ChangeBuilder& o) {
    auto deleter = corpus.state(fuzz::kFindingId);
    auto editor = deleter;
    sync::Change del =
        t.fromFields(domain::RecordKind::kFinding, fuzz::kFindingId, visit, {}, fuzz::kMonitorId);
    del.deleted = true;
    domain::Finding after = seededFinding();
    after.urgency = domain::Urgency::kUrgent;
    return Changes{stamped(deleter, std::move(del)),
                   stamped(editor, o.edit(seededFinding(), after, {}, "coordinator"))};
  });
  corpus.add("replayed_change", [&](ChangeBuilder& t, ChangeBuilder&) {
    const sync::Change c = t.create(newFinding(12), fuzz::kMonitorId);
    return Changes{c, c};
  });
  corpus.add("foreign_visit", [&](ChangeBuilder& t, ChangeBuilder&) {
    return Changes{t.create(newFinding(13, fuzz::kOtherVisitId), fuzz::kMonitorId)};
  });
  corpus.add("office_plans_and_staffs", [&](ChangeBuilder& t, ChangeBuilder& o) {
    domain::Team before{fuzz::kOtherTeamId,
                        "Астана 2",
                        fuzz::kRegionId,
                        {{fuzz::kOtherMonitorId, domain::TeamRole::kLeader}}};
    domain::Team after = before;
    after.members.push_back({fuzz::kMonitorId, domain::TeamRole::kMember});
    auto teamState = corpus.state(fuzz::kOtherTeamId);
    domain::Visit planned = testing::sampleVisit(fuzz::kInstitutionId);
    planned.id = seedId(14);
    planned.teamId = fuzz::kTeamId;
    planned.status = domain::VisitStatus::kPlanned;
    domain::Region region{seedId(15), "KZ-75", {"Алматы қаласы", "город Алматы", "Almaty (city)"}};
    return Changes{stamped(teamState, o.edit(before, after, {}, "admin")),
                   o.create(planned, "admin"), o.create(region, "admin"),
                   t.create(newFinding(16, fuzz::kOtherVisitId), fuzz::kMonitorId),
                   t.create(newFinding(17, seedId(14)), fuzz::kMonitorId)};
  });
  corpus.add("office_removes_monitor", [&](ChangeBuilder& t, ChangeBuilder& o) {
    domain::Team before{fuzz::kTeamId,
                        "Астана 1",
                        fuzz::kRegionId,
                        {{fuzz::kMonitorId, domain::TeamRole::kLeader}}};
    domain::Team after = before;
    after.members = {{fuzz::kOtherMonitorId, domain::TeamRole::kLeader}};
    auto teamState = corpus.state(fuzz::kTeamId);
    return Changes{t.create(newFinding(29), fuzz::kMonitorId),
                   stamped(teamState, o.edit(before, after, {}, "admin")),
                   t.create(newFinding(30), fuzz::kMonitorId)};
  });
  corpus.add("device_refusals", [&](ChangeBuilder& t, ChangeBuilder&) {
    domain::Region region{seedId(18), "KZ-75", {"Алматы қаласы", "город Алматы", "Almaty (city)"}};
    domain::Visit visitByTablet = testing::sampleVisit(fuzz::kInstitutionId);
    visitByTablet.id = seedId(19);
    visitByTablet.teamId = fuzz::kTeamId;
    domain::ReviewEvent approval = testing::sampleReviewEvent(visit);
    approval.id = seedId(20);
    approval.state = domain::ReviewState::kApproved;
    domain::IdentityRecord orphan;
    orphan.id = seedId(21);
    orphan.interviewId = seedId(22);
    orphan.sealedDetails = std::string(80, '\x5a');
    orphan.officeKeyId = "office-key-1";
    sync::Change wrongKind = t.create(newFinding(23), fuzz::kMonitorId);
    wrongKind.kind = domain::RecordKind::kInterview;
    wrongKind.recordId = fuzz::kFindingId;
    const std::string m = fuzz::kMonitorId;
    return Changes{t.create(region, m), t.create(visitByTablet, m), t.create(approval, m),
                   t.create(orphan, m), wrongKind};
  });
  corpus.add("malformed_changes", [&](ChangeBuilder& t, ChangeBuilder&) {
    sync::Change badId = t.create(newFinding(24), fuzz::kMonitorId);
    badId.recordId = "finding-1";
    sync::Change zeroField = t.create(newFinding(25), fuzz::kMonitorId);
    zeroField.fields.front().number = 0;
    sync::Change badText = t.create(newFinding(26), fuzz::kMonitorId);
    for (auto& f : badText.fields) {
      if (f.number == 10) f.value = std::string("\x52\x02\xC0\xAF", 4);
    }
    sync::Change wrongField = t.create(newFinding(27), fuzz::kMonitorId);
    wrongField.fields.push_back({99, std::string("\x98\x06\x01", 3), wrongField.hlc, {}});
    return Changes{badId, zeroField, badText, wrongField,
                   t.create(newFinding(28), fuzz::kMonitorId)};
  });
}

void writeRecordFieldsCorpus(const fs::path& dir) {
  fs::create_directories(dir);
  auto add = [&](const std::string& name, domain::RecordKind kind, const std::string& before,
                 const std::string& after) {
    fuzz::RecordFieldsInput input{kind, before, after, {}};
    if (auto diff = codec::diffFields(kind, before, after)) {
      std::uint64_t hlc = 1;
      for (auto& f : *diff) {
        f.hlc = sync::Hlc(hlc++);
        input.fields.push_back(std::move(f));
      }
    }
    writeFile(dir / (name + ".bin"), fuzz::writeRecordFieldsInput(input));
  };
  domain::Finding finding = newFinding(1);
  domain::Finding finding2 = finding;
  finding2.title = "Находка, правка";
  finding2.place = {};
  finding2.affectedGroups.push_back(domain::AffectedGroup::kPretrialDetainees);
  add("finding", domain::RecordKind::kFinding, codec::encode(finding), codec::encode(finding2));
  add("finding_new", domain::RecordKind::kFinding, "", codec::encode(finding));

  domain::Observation obs;
  obs.id = seedId(2);
  obs.visitId = fuzz::kVisitId;
  obs.answer = true;
  domain::Observation obs2 = obs;
  obs2.answer = std::vector<std::string>{"a", "b"};
  add("observation_oneof", domain::RecordKind::kObservation, codec::encode(obs),
      codec::encode(obs2));

  domain::Visit visit = testing::sampleVisit(fuzz::kInstitutionId);
  visit.id = fuzz::kVisitId;
  visit.teamId = fuzz::kTeamId;
  domain::Visit visit2 = visit;
  visit2.status = domain::VisitStatus::kFieldworkClosed;
  visit2.recommendationIdsToVerify = {seedId(3)};
  add("visit", domain::RecordKind::kVisit, codec::encode(visit), codec::encode(visit2));

  domain::Team team{
      fuzz::kTeamId, "Астана 1", fuzz::kRegionId, {{fuzz::kMonitorId, domain::TeamRole::kLeader}}};
  domain::Team team2 = team;
  team2.members.push_back({fuzz::kOtherMonitorId, domain::TeamRole::kDoctor});
  add("team", domain::RecordKind::kTeam, codec::encode(team), codec::encode(team2));

  domain::Interview interview = testing::sampleInterview(fuzz::kVisitId);
  interview.id = fuzz::kInterviewId;
  interview.authorMonitorId = fuzz::kMonitorId;
  domain::Interview interview2 = interview;
  interview2.consent = {true, true, false, true};
  interview2.notes.clear();
  add("interview", domain::RecordKind::kInterview, codec::encode(interview),
      codec::encode(interview2));

  domain::Recommendation rec = testing::sampleRecommendation(fuzz::kVisitId, fuzz::kInstitutionId);
  rec.id = fuzz::kRecommendationId;
  domain::Recommendation rec2 = rec;
  rec2.status = domain::RecommendationStatus::kImplemented;
  add("recommendation", domain::RecordKind::kRecommendation, codec::encode(rec),
      codec::encode(rec2));

  domain::Region region{seedId(4), "KZ-71", {"Астана қаласы", "город Астана", "Astana (city)"}};
  domain::Region region2 = region;
  region2.name.en = "Astana";
  add("region", domain::RecordKind::kRegion, codec::encode(region), codec::encode(region2));

  domain::Attachment attachment = testing::sampleAttachmentMeta(fuzz::kVisitId, fuzz::kFindingId);
  attachment.id = seedId(5);
  attachment.sha256 = std::string(32, '\x11');
  add("attachment", domain::RecordKind::kAttachment, codec::encode(attachment), "");
  add("out_of_range_kind", static_cast<domain::RecordKind>(19), codec::encode(region), "");
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: make_corpus OUT_DIR\n");
    return 2;
  }
  const fs::path out = argv[1];
  writePushCorpus(out / "push_apply");
  writeRecordFieldsCorpus(out / "record_fields");
  return 0;
}
