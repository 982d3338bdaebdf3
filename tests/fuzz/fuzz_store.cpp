#include "fuzz_store.h"

#include <cstdio>
#include <cstdlib>

#include "db/sqlite_server_store.h"
#include "domain/people.h"
#include "service/office_writer.h"
#include "support/sample_records.h"
#include "sync/codec/record_codec.h"

namespace opcat::fuzz {
namespace {

[[noreturn]] void die(const char* what, const Status& status) {
  std::fprintf(stderr, "fuzz store: %s: %s\n", what, status.toString().c_str());
  std::abort();
}

template <typename T>
Status put(server::db::StoreSession& session, const T& record) {
  auto verdict =
      server::writeAsOffice(session,
                            server::OfficeEdit{T::kKind, record.id, std::string(record.parentId()),
                                               codec::encode(record), "admin", false},
                            kSeedTimeMs);
  return verdict.isOk() ? Status::ok() : verdict.status();
}

domain::Monitor monitor(const char* id, const char* name) {
  domain::Monitor m;
  m.id = id;
  m.fullName = name;
  m.organisation = "Қоғамдық бірлестік «Адам құқықтары»";
  m.languages = {domain::Language::kKk, domain::Language::kRu};
  m.active = true;
  return m;
}

domain::Visit visit(const char* id, const char* teamId) {
  domain::Visit v = testing::sampleVisit(kInstitutionId);
  v.id = id;
  v.teamId = teamId;
  v.status = domain::VisitStatus::kPlanned;
  return v;
}

}  // namespace

server::Actor actorFor(const std::string& deviceId) {
  if (deviceId == kOfficeDeviceId) {
    return server::Actor{server::Actor::Kind::kOffice, kOfficeDeviceId, {}};
  }
  return server::Actor{server::Actor::Kind::kDevice, kDeviceId, kMonitorId};
}

std::unique_ptr<server::db::ServerStore> openSeededStore(const std::filesystem::path& dir) {
  std::filesystem::create_directories(dir);
  auto store = server::db::openSqliteServerStore(dir);
  if (!store) die("open", store.status());

  domain::Team team{kTeamId, "Астана 1", kRegionId, {{kMonitorId, domain::TeamRole::kLeader}}};
  domain::Team otherTeam{
      kOtherTeamId, "Астана 2", kRegionId, {{kOtherMonitorId, domain::TeamRole::kLeader}}};
  domain::Finding finding = testing::sampleFinding(kVisitId);
  finding.id = kFindingId;
  finding.sources = {{domain::SourceKind::kInterview, kInterviewId}};
  finding.authorMonitorId = kMonitorId;
  domain::Interview interview = testing::sampleInterview(kVisitId);
  interview.id = kInterviewId;
  interview.authorMonitorId = kMonitorId;
  domain::Recommendation recommendation = testing::sampleRecommendation(kVisitId, kInstitutionId);
  recommendation.id = kRecommendationId;

  const Status seeded = (*store)->write([&](server::db::StoreSession& s) -> Status {
    // A fixed office device, so the seeded records' versions are the same in every run.
    OPCAT_RETURN_IF_ERROR(s.putSetting("office_device_id", kOfficeDeviceId));
    OPCAT_RETURN_IF_ERROR(put(s, monitor(kMonitorId, "Айгүл Сәрсенова")));
    OPCAT_RETURN_IF_ERROR(put(s, monitor(kOtherMonitorId, "Ольга Ким")));
    OPCAT_RETURN_IF_ERROR(put(s, team));
    OPCAT_RETURN_IF_ERROR(put(s, otherTeam));
    OPCAT_RETURN_IF_ERROR(put(s, visit(kVisitId, kTeamId)));
    OPCAT_RETURN_IF_ERROR(put(s, visit(kOtherVisitId, kOtherTeamId)));
    OPCAT_RETURN_IF_ERROR(put(s, finding));
    OPCAT_RETURN_IF_ERROR(put(s, interview));
    return put(s, recommendation);
  });
  if (!seeded.isOk()) die("seed", seeded);
  return std::move(store).value();
}

}  // namespace opcat::fuzz
