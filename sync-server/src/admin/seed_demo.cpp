#include "admin/seed_demo.h"

#include <sodium.h>

#include <chrono>
#include <ostream>

#include "admin/checklist_import.h"
#include "admin/office_key_command.h"
#include "admin/people_command.h"
#include "admin/registry_import.h"
#include "admin/time_text.h"
#include "admin/users_command.h"
#include "admin/visit_command.h"
#include "crypto/sodium_init.h"
#include "service/enrollment_service.h"

namespace opcat::server::admin {
namespace {

// Fixed ids: a second run finds the demo records and leaves them alone.
constexpr char kTeamId[] = "d38d9a7f-b44f-4d22-aee7-3a7aa502ef54";
constexpr char kIvsVisitId[] = "b3bccbfb-5c53-441e-a674-5a5e1d9ed46c";
constexpr char kSizoVisitId[] = "31a1fdbe-fbb7-466f-9b38-ad8ed1069126";
constexpr char kAstanaIso[] = "KZ-71";
constexpr char kCoordinatorUsername[] = "coordinator";
constexpr char kDefaultSecretKeyFile[] = "office-secret.demo.key";

struct DemoMonitor {
  const char* id;
  const char* fullName;
  const char* organisation;
  const char* profession;
  const char* email;
  const char* phone;
  std::vector<domain::Language> languages;
  domain::TeamRole role;
};

const std::vector<DemoMonitor>& demoMonitors() {
  using domain::Language;
  static const std::vector<DemoMonitor> monitors = {
      {"4f4e1aa6-36ba-4c60-b1ae-d4894ca0a3cf",
       "Айгерім Нұрланқызы Сейітова",
       "ОФ «Құқықтық бастама» (демо)",
       "юрист, правозащитник",
       "a.seitova@example.org",
       "+7 700 000 00 01",
       {Language::kKk, Language::kRu, Language::kEn},
       domain::TeamRole::kLeader},
      {"745fdff7-d162-47f2-81d0-9306f1b6e40a",
       "Ерлан Болатович Жумабаев",
       "Ассоциация независимых врачей (демо)",
       "врач-терапевт",
       "e.zhumabayev@example.org",
       "+7 700 000 00 02",
       {Language::kKk, Language::kRu},
       domain::TeamRole::kDoctor},
      {"ac57eaf1-486d-44e6-ada6-09f252a379fb",
       "Ольга Викторовна Ким",
       "Коллегия адвокатов г. Астаны (демо)",
       "адвокат",
       "o.kim@example.org",
       "+7 700 000 00 03",
       {Language::kRu, Language::kEn},
       domain::TeamRole::kLawyer},
  };
  return monitors;
}

// `days` days after today (in Almaty) at hh:mm Almaty time.
std::int64_t almatyDayAt(std::int64_t nowMs, int days, int hour, int minute) {
  constexpr std::int64_t kDayMs = 24LL * 3600 * 1000;
  const std::int64_t localMidnight = (nowMs + kAlmatyOffsetMs) / kDayMs * kDayMs;
  return localMidnight + days * kDayMs + (std::int64_t{hour} * 60 + minute) * 60'000 -
         kAlmatyOffsetMs;
}

std::string randomPassword() {
  crypto::ensureSodium();
  constexpr char kAlphabet[] = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
  std::string password;
  for (int i = 0; i < 16; ++i) {
    password.push_back(kAlphabet[randombytes_uniform(sizeof(kAlphabet) - 1)]);
  }
  return password;
}

// The first institution of `category` in the region, from the imported files.
const domain::Institution* findInstitution(const RegistryData& registry,
                                           domain::InstitutionCategory category,
                                           const std::string& regionId) {
  for (const auto& located : registry.institutions) {
    if (located.record.category == category && located.record.regionId == regionId) {
      return &located.record;
    }
  }
  return nullptr;
}

std::string checklistFor(const std::vector<LoadedChecklist>& checklists,
                         domain::InstitutionCategory category) {
  for (const LoadedChecklist& checklist : checklists) {
    if (checklist.record.category == category && checklist.record.active) {
      return checklist.record.id;
    }
  }
  return {};
}

struct DemoVisit {
  domain::Visit visit;
  std::string label;
};

Result<std::vector<DemoVisit>> demoVisits(const RegistryData& registry,
                                          const std::vector<LoadedChecklist>& checklists,
                                          std::int64_t nowMs) {
  std::string astanaId;
  for (const auto& region : registry.regions) {
    if (region.record.isoCode == kAstanaIso) astanaId = region.record.id;
  }
  const domain::Institution* ivs =
      findInstitution(registry, domain::InstitutionCategory::kTemporaryDetention, astanaId);
  const domain::Institution* sizo =
      findInstitution(registry, domain::InstitutionCategory::kPretrialDetention, astanaId);
  if (ivs == nullptr || sizo == nullptr) {
    return Status::error(StatusCode::kNotFound,
                         "the repository's institutions file has no IVS or SIZO in Astana");
  }

  DemoVisit periodic;
  periodic.label = "periodic, unannounced: " + ivs->name.ru;
  domain::Visit& v1 = periodic.visit;
  v1.id = kIvsVisitId;
  v1.institutionId = ivs->id;
  v1.teamId = kTeamId;
  v1.type = domain::VisitType::kPeriodic;
  v1.announced = false;
  v1.thematicFocus = "Правовые гарантии в первые часы задержания";
  v1.objectives =
      "Проверить соблюдение гарантий от пыток и жестокого обращения в первые часы после "
      "задержания: своевременность регистрации доставленных (сверить время фактического "
      "задержания со временем внесения в журнал), уведомление родственников, доступ к адвокату "
      "и к медицинскому осмотру. Оценить условия содержания в камерах (площадь, освещение, "
      "вентиляция, санитария, питание, прогулки). Провести конфиденциальные беседы с "
      "задержанными вне присутствия сотрудников.";
  v1.plannedStartMs = almatyDayAt(nowMs, 3, 9, 30);
  v1.plannedEndMs = almatyDayAt(nowMs, 3, 17, 0);
  v1.status = domain::VisitStatus::kPlanned;
  v1.checklistTemplateId = checklistFor(checklists, ivs->category);

  DemoVisit intermediate;
  intermediate.label = "intermediate, announced: " + sizo->name.ru;
  domain::Visit& v2 = intermediate.visit;
  v2.id = kSizoVisitId;
  v2.institutionId = sizo->id;
  v2.teamId = kTeamId;
  v2.type = domain::VisitType::kIntermediate;
  v2.announced = true;
  v2.thematicFocus = "Медицинская помощь и документирование телесных повреждений";
  v2.objectives =
      "Проверить выполнение рекомендаций по итогам предыдущего посещения: конфиденциальность "
      "встреч с адвокатами, доступность медицинской помощи, осмотр и документирование телесных "
      "повреждений при поступлении, условия содержания в дисциплинарном изоляторе. Изучить "
      "журналы применения физической силы и специальных средств, дисциплинарных взысканий и "
      "жалоб содержащихся под стражей за последние шесть месяцев.";
  v2.plannedStartMs = almatyDayAt(nowMs, 10, 10, 0);
  v2.plannedEndMs = almatyDayAt(nowMs, 10, 18, 0);
  v2.status = domain::VisitStatus::kPlanned;
  v2.checklistTemplateId = checklistFor(checklists, sizo->category);
  return std::vector<DemoVisit>{std::move(periodic), std::move(intermediate)};
}

// What the run did, for the summary.
struct SeedReport {
  RegistryCounts registry;
  WriteCounts checklists;
  WriteCounts monitors;
  WriteCounts team;
  WriteCounts visits;
  std::vector<std::int64_t> visitStartsMs;  // as stored, per demo visit
  std::string coordinatorPassword;          // empty when the user existed
};

// Creates `record` unless a record with its id exists, which then counts as unchanged.
template <class T, class Save>
Status createIfAbsent(db::StoreSession& session, const T& record, WriteCounts& counts, Save save) {
  auto stored = session.loadRecord(record.id);
  if (!stored) return stored.status();
  if (*stored) {
    counts.add(WriteOutcome::kUnchanged);
    return Status::ok();
  }
  auto outcome = save(record);
  if (!outcome) return outcome.status();
  counts.add(*outcome);
  return Status::ok();
}

Status seed(db::StoreSession& session, const RegistryData& registry,
            const std::vector<LoadedChecklist>& checklists, const std::vector<DemoVisit>& visits,
            std::int64_t now, SeedReport& report) {
  auto registryCounts = writeRegistry(session, registry, now);
  if (!registryCounts) return registryCounts.status();
  report.registry = *registryCounts;
  auto checklistOutcomes = writeChecklists(session, checklists, now);
  if (!checklistOutcomes) return checklistOutcomes.status();
  for (const WriteOutcome outcome : *checklistOutcomes) report.checklists.add(outcome);

  domain::Team team;
  team.id = kTeamId;
  team.name = "Астана — мобильная группа НПМ № 1";
  for (const auto& r : registry.regions) {
    if (r.record.isoCode == kAstanaIso) team.regionId = r.record.id;
  }
  for (const DemoMonitor& m : demoMonitors()) {
    domain::Monitor monitor;
    monitor.id = m.id;
    monitor.fullName = m.fullName;
    monitor.organisation = m.organisation;
    monitor.profession = m.profession;
    monitor.email = m.email;
    monitor.phone = m.phone;
    monitor.languages = m.languages;
    monitor.active = true;
    OPCAT_RETURN_IF_ERROR(createIfAbsent(session, monitor, report.monitors, [&](const auto& r) {
      return saveMonitor(session, r, now);
    }));
    team.members.push_back({m.id, m.role});
  }
  OPCAT_RETURN_IF_ERROR(createIfAbsent(session, team, report.team,
                                       [&](const auto& r) { return saveTeam(session, r, now); }));

  auto coordinator = session.findUserByName(kCoordinatorUsername);
  if (!coordinator) return coordinator.status();
  if (!*coordinator) {
    report.coordinatorPassword = randomPassword();
    auto added = addUser(session, kCoordinatorUsername, db::Role::kCoordinator,
                         report.coordinatorPassword, now);
    if (!added) return added.status();
  }

  for (const DemoVisit& visit : visits) {
    OPCAT_RETURN_IF_ERROR(createIfAbsent(session, visit.visit, report.visits, [&](const auto& r) {
      return saveVisit(session, r, now);
    }));
    auto stored = loadLiveRecord<domain::Visit>(session, visit.visit.id);
    if (!stored) return stored.status();
    report.visitStartsMs.push_back(*stored ? (*stored)->plannedStartMs : 0);
  }
  return Status::ok();
}

int runSeedDemo(AdminContext& context, const AdminArgs& args) {
  const std::filesystem::path secretKeyOut =
      args.value("--secret-key-out")
          .value_or((std::filesystem::path(context.dataDir()) / kDefaultSecretKeyFile).string());
  const std::filesystem::path data = referenceDataDir();
  auto registry = readRegistry(
      {data / "regions.csv", data / "authorities.csv", data / "institutions-sample.csv"});
  if (!registry) return context.refuse(registry.status().message());
  auto checklists = readChecklists(std::vector<std::string>{(data / "checklists").string()});
  if (!checklists) return context.refuse(checklists.status().message());
  const std::int64_t now = context.now();
  auto visits = demoVisits(*registry, *checklists, now);
  if (!visits) return context.refuse(visits.status().message());

  db::ServerStore* store = context.store();
  if (store == nullptr) return context.openFailureExit();
  std::optional<std::string> keyId;
  if (Status read = store->read([&](db::StoreSession& session) -> Status {
        auto id = storedOfficeKeyId(session);
        if (!id) return id.status();
        keyId = *id;
        return Status::ok();
      });
      !read) {
    return context.refuse(read.message());
  }
  const bool newKey = !keyId;
  if (newKey) {
    auto created = createOfficeKey(*store, secretKeyOut, false, now);
    if (!created) return context.refuse(created.status().message());
    keyId = *created;
  }

  SeedReport report;
  const Status seeded = store->write([&](db::StoreSession& session) {
    return seed(session, *registry, *checklists, *visits, now, report);
  });
  struct Wipe {
    std::string& s;
    ~Wipe() { sodium_memzero(s.data(), s.size()); }
  } wipe{report.coordinatorPassword};
  if (!seeded) return context.refuse(seeded.message());

  const DemoMonitor& first = demoMonitors().front();
  EnrollmentService enrollment(*store, context.clock());
  auto code =
      enrollment.issueCode(first.id, EnrollmentService::kDefaultCodeLifetimeMs, kAdminActor);
  if (!code) return context.refuse(code.status().message());

  std::ostream& out = context.out();
  out << "Opcat Field demo data in " << context.dataDir() << "\n"
      << "  office key:   " << *keyId << (newKey ? " (new)" : " (kept)") << "\n";
  if (newKey) {
    out << "                secret key written to " << secretKeyOut.string() << "\n"
        << "  WARNING: a secret key kept beside the server is for demonstrations only; a real\n"
        << "           office keeps it offline (opcat-server admin office-key).\n";
  }
  out << "  regions:      " << report.registry.regions.text() << "\n"
      << "  authorities:  " << report.registry.authorities.text() << "\n"
      << "  institutions: " << report.registry.institutions.text() << "\n"
      << "  checklists:   " << report.checklists.text() << "\n"
      << "  monitors:     " << report.monitors.text() << "\n";
  for (const DemoMonitor& m : demoMonitors()) {
    out << "                " << m.id << "  " << m.fullName << "\n";
  }
  out << "  team:         " << kTeamId << "  Astana (" << kAstanaIso << "), " << report.team.text()
      << "\n"
      << "  visits:       " << report.visits.text() << "\n";
  for (std::size_t i = 0; i < visits->size(); ++i) {
    out << "                " << (*visits)[i].visit.id << "  "
        << formatAdminTime(report.visitStartsMs[i]) << "  " << (*visits)[i].label << "\n";
  }
  if (report.coordinatorPassword.empty()) {
    out << "  console user: " << kCoordinatorUsername << " (exists; password not shown again)\n";
  } else {
    out << "  console user: " << kCoordinatorUsername
        << "  password: " << report.coordinatorPassword << "  (shown once)\n";
  }
  out << "  enrollment code for " << first.fullName << ": " << *code << " (valid 24 h, once)\n";
  return kExitOk;
}

}  // namespace

AdminCommand seedDemoCommand() {
  return AdminCommand{
      "seed-demo",
      "[--secret-key-out FILE]",
      "load demonstration data (for scripts/demo); running it again adds nothing",
      "  --secret-key-out FILE   where the demo office secret key goes when one is made\n"
      "                          (default DIR/office-secret.demo.key: for demos only)\n"
      "\n"
      "Makes an office key, imports the repository's registry and checklists, adds three\n"
      "monitors forming an Astana team, the console user 'coordinator' (password printed\n"
      "once), two planned visits, and prints an enrollment code for the first monitor.\n",
      {{"--secret-key-out", OptionSpec::Kind::kValue, false}},
      false,
      &runSeedDemo};
}

}  // namespace opcat::server::admin
