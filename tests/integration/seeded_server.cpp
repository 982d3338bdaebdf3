#include "seeded_server.h"

#include <stdexcept>
#include <variant>

#include "core/uuid.h"
#include "db/sqlite_server_store.h"
#include "domain/people.h"
#include "domain/registry.h"
#include "domain/visit.h"
#include "service/enrollment_service.h"
#include "service/office_writer.h"
#include "support/sample_records.h"
#include "sync/codec/record_codec.h"
#include "sync/hlc.h"

namespace opcat::testing {
namespace {

void check(const Status& s, const char* what) {
  if (!s.isOk()) throw std::runtime_error(std::string(what) + ": " + s.toString());
}

template <typename T>
Status put(server::db::StoreSession& session, const T& record) {
  auto verdict = server::writeAsOffice(
      session,
      server::OfficeEdit{T::kKind, record.id, std::string(record.parentId()),
                         codec::encode(record), "admin", false},
      sync::HybridClock::systemWallClockMs());
  return verdict.isOk() ? Status::ok() : verdict.status();
}

domain::Monitor monitor(const std::string& name) {
  domain::Monitor m;
  m.id = newUuid();
  m.fullName = name;
  m.organisation = "Қоғамдық бірлестік «Адам құқықтары»";
  m.languages = {domain::Language::kKk, domain::Language::kRu};
  m.active = true;
  return m;
}

}  // namespace

SeededData seedServerData(const std::filesystem::path& dataDir) {
  std::filesystem::create_directories(dataDir);
  std::filesystem::permissions(dataDir, std::filesystem::perms::owner_all,
                               std::filesystem::perm_options::replace);
  auto store = server::db::openSqliteServerStore(dataDir);
  check(store.status(), "open store");
  SeededData d;

  domain::Region region{newUuid(), "KZ-71", {"Астана қаласы", "город Астана", "Astana (city)"}};
  domain::Authority police{newUuid(), "POLICE",
                           {"Полиция", "Полиция", "Police (internal affairs bodies)"}};
  domain::Institution ivs;
  ivs.id = newUuid();
  ivs.name = {"Астана қаласы ПД уақытша ұстау изоляторы", "ИВС ДП г. Астаны",
              "Temporary detention facility, Astana police"};
  ivs.category = domain::InstitutionCategory::kTemporaryDetention;
  ivs.regionId = region.id;
  ivs.authorityId = police.id;
  ivs.capacity = 60;
  ivs.active = true;
  const auto a = monitor("Айгүл Сәрсенова");
  const auto a2 = monitor("Ерлан Жақыпов");
  const auto b = monitor("Ольга Ким");
  domain::Team team1{newUuid(), "Астана 1", region.id,
                     {{a.id, domain::TeamRole::kLeader}, {a2.id, domain::TeamRole::kDoctor}}};
  domain::Team team2{newUuid(), "Астана 2", region.id, {{b.id, domain::TeamRole::kLeader}}};
  auto visit1 = sampleVisit(ivs.id);
  visit1.teamId = team1.id;
  visit1.status = domain::VisitStatus::kPlanned;
  auto visit2 = sampleVisit(ivs.id);
  visit2.teamId = team2.id;
  visit2.status = domain::VisitStatus::kPlanned;

  check((*store)->write([&](server::db::StoreSession& s) -> Status {
    OPCAT_RETURN_IF_ERROR(s.putSetting(
        "office_public_key",
        std::string(d.office.publicKey.bytes.begin(), d.office.publicKey.bytes.end())));
    OPCAT_RETURN_IF_ERROR(s.putSetting("office_key_id", d.office.publicKey.id()));
    OPCAT_RETURN_IF_ERROR(put(s, region));
    OPCAT_RETURN_IF_ERROR(put(s, police));
    OPCAT_RETURN_IF_ERROR(put(s, ivs));
    OPCAT_RETURN_IF_ERROR(put(s, a));
    OPCAT_RETURN_IF_ERROR(put(s, a2));
    OPCAT_RETURN_IF_ERROR(put(s, b));
    OPCAT_RETURN_IF_ERROR(put(s, team1));
    OPCAT_RETURN_IF_ERROR(put(s, team2));
    OPCAT_RETURN_IF_ERROR(put(s, visit1));
    return put(s, visit2);
  }),
        "seed records");

  server::EnrollmentService enrollment(**store, &sync::HybridClock::systemWallClockMs);
  const std::int64_t day = server::EnrollmentService::kDefaultCodeLifetimeMs;
  d.codeA = *enrollment.issueCode(a.id, day, "admin");
  d.codeA2 = *enrollment.issueCode(a2.id, day, "admin");
  d.codeB = *enrollment.issueCode(b.id, day, "admin");
  d.codeSpare = *enrollment.issueCode(a.id, day, "admin");
  d.region = region.id;
  d.institution = ivs.id;
  d.monitorA = a.id;
  d.monitorA2 = a2.id;
  d.monitorB = b.id;
  d.team1 = team1.id;
  d.team2 = team2.id;
  d.visit1 = visit1.id;
  d.visit2 = visit2.id;
  return d;
}

std::vector<std::string> issueCodes(const std::filesystem::path& dataDir,
                                    const std::string& monitorId, int n) {
  auto store = server::db::openSqliteServerStore(dataDir);
  check(store.status(), "open store");
  server::EnrollmentService enrollment(**store, &sync::HybridClock::systemWallClockMs);
  std::vector<std::string> codes;
  for (int i = 0; i < n; ++i) {
    auto code = enrollment.issueCode(monitorId, server::EnrollmentService::kDefaultCodeLifetimeMs,
                                     "admin");
    check(code.status(), "issue code");
    codes.push_back(std::move(code).value());
  }
  return codes;
}

std::vector<EnrolledDevice> enrollDevices(const std::filesystem::path& dataDir,
                                          const std::string& monitorId, int n) {
  auto store = server::db::openSqliteServerStore(dataDir);
  check(store.status(), "open store");
  server::EnrollmentService enrollment(**store, &sync::HybridClock::systemWallClockMs);
  std::vector<EnrolledDevice> devices;
  for (int i = 0; i < n; ++i) {
    auto code = enrollment.issueCode(monitorId, server::EnrollmentService::kDefaultCodeLifetimeMs,
                                     "admin");
    check(code.status(), "issue code");
    // A remote address per device: the service rate-limits enrollments per address.
    auto outcome = enrollment.enroll(*code, newUuid(), "bench tablet " + std::to_string(i),
                                     "setup-" + std::to_string(i));
    if (auto* failure = std::get_if<server::EnrollFailure>(&outcome)) {
      throw std::runtime_error("enroll: " + failure->detail);
    }
    const auto& result = std::get<server::EnrollResult>(outcome);
    devices.push_back({result.deviceId, result.deviceToken});
  }
  return devices;
}

std::vector<std::string> auditEvents(const std::filesystem::path& dataDir) {
  auto store = server::db::openSqliteServerStore(dataDir);
  check(store.status(), "open store");
  std::vector<std::string> events;
  check((*store)->read([&](server::db::StoreSession& s) -> Status {
    auto entries = s.auditEntries();
    if (!entries) return entries.status();
    for (const auto& e : *entries) events.push_back(e.event);
    return Status::ok();
  }),
        "read audit log");
  return events;
}

void revokeDevice(const std::filesystem::path& dataDir, const std::string& deviceId) {
  auto store = server::db::openSqliteServerStore(dataDir);
  check(store.status(), "open store");
  server::EnrollmentService enrollment(**store, &sync::HybridClock::systemWallClockMs);
  check(enrollment.revoke(deviceId, "admin"), "revoke");
}

std::vector<std::string> planVisits(const std::filesystem::path& dataDir,
                                    const std::string& teamId, const std::string& institutionId,
                                    int n) {
  auto store = server::db::openSqliteServerStore(dataDir);
  check(store.status(), "open store");
  std::vector<std::string> ids;
  check((*store)->write([&](server::db::StoreSession& s) -> Status {
    for (int i = 0; i < n; ++i) {
      auto visit = sampleVisit(institutionId);
      visit.teamId = teamId;
      visit.status = domain::VisitStatus::kPlanned;
      OPCAT_RETURN_IF_ERROR(put(s, visit));
      ids.push_back(visit.id);
    }
    return Status::ok();
  }),
        "plan visits");
  return ids;
}

std::vector<SeededTeam> seedTeams(const std::filesystem::path& dataDir, const SeededData& seeded,
                                  int teams, int monitorsPerTeam) {
  auto store = server::db::openSqliteServerStore(dataDir);
  check(store.status(), "open store");
  std::vector<SeededTeam> out;
  check((*store)->write([&](server::db::StoreSession& s) -> Status {
    for (int t = 0; t < teams; ++t) {
      domain::Team team{newUuid(), "Bench team " + std::to_string(t + 1), seeded.region, {}};
      SeededTeam added;
      for (int m = 0; m < monitorsPerTeam; ++m) {
        const auto person = monitor("Monitor " + std::to_string(t + 1) + "." + std::to_string(m + 1));
        OPCAT_RETURN_IF_ERROR(put(s, person));
        team.members.push_back(
            {person.id, m == 0 ? domain::TeamRole::kLeader : domain::TeamRole::kMember});
        added.monitors.push_back(person.id);
      }
      OPCAT_RETURN_IF_ERROR(put(s, team));
      auto visit = sampleVisit(seeded.institution);
      visit.teamId = team.id;
      visit.status = domain::VisitStatus::kPlanned;
      OPCAT_RETURN_IF_ERROR(put(s, visit));
      added.team = team.id;
      added.visit = visit.id;
      out.push_back(std::move(added));
    }
    return Status::ok();
  }),
        "seed teams");
  return out;
}

EnrolledDevice enrollDeviceAs(const std::filesystem::path& dataDir, const std::string& monitorId,
                              const std::string& deviceId, const std::string& name) {
  auto store = server::db::openSqliteServerStore(dataDir);
  check(store.status(), "open store");
  server::EnrollmentService enrollment(**store, &sync::HybridClock::systemWallClockMs);
  auto code = enrollment.issueCode(monitorId, server::EnrollmentService::kDefaultCodeLifetimeMs,
                                   "admin");
  check(code.status(), "issue code");
  auto outcome = enrollment.enroll(*code, deviceId, name, "setup-" + deviceId);
  if (auto* failure = std::get_if<server::EnrollFailure>(&outcome)) {
    throw std::runtime_error("enroll: " + failure->detail);
  }
  const auto& result = std::get<server::EnrollResult>(outcome);
  return {result.deviceId, result.deviceToken};
}

}  // namespace opcat::testing
