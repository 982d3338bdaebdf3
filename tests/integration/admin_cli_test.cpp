// `opcat-server admin`, run as the real binary on temporary data folders: each command's output,
// usage errors (exit 2), refusals that change nothing (exit 1), the registry import's all-or-
// nothing rule, a revocation while the server runs, the audit chain, the office key file and the
// demo seed. The store is inspected with SQLite and the server's own library.
#include <gtest/gtest.h>
#include <sqlite3.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "db/sqlite_server_store.h"
#include "domain/registry.h"
#include "opcat/v1/sync.pb.h"
#include "support/http_client.h"
#include "support/server_process.h"
#include "support/temp_dir.h"
#include "sync/codec/record_codec.h"

namespace opcat::testing {
namespace {

namespace fs = std::filesystem;

const fs::path kDataFiles = OPCAT_REPO_DATA_DIR;
constexpr char kKnownMonitorless[] = "11111111-1111-4111-8111-111111111111";

std::string readText(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

void writeText(const fs::path& path, const std::string& text) {
  std::ofstream(path, std::ios::binary) << text;
}

// The first UUID in `text`, or "" when there is none.
std::string firstUuid(const std::string& text) {
  std::smatch match;
  static const std::regex uuid("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
  return std::regex_search(text, match, uuid) ? match.str() : "";
}

// Opens the server's database directly, as an attacker with disk access or a test would.
class RawDb {
 public:
  explicit RawDb(const fs::path& dataDir) {
    const std::string path = (dataDir / "opcat-server.db").string();
    if (sqlite3_open_v2(path.c_str(), &m_db, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK) {
      ADD_FAILURE() << "cannot open " << path;
    }
    sqlite3_busy_timeout(m_db, 5000);
  }
  ~RawDb() { sqlite3_close(m_db); }
  RawDb(const RawDb&) = delete;
  RawDb& operator=(const RawDb&) = delete;

  std::int64_t count(const std::string& sql) {
    sqlite3_stmt* statement = nullptr;
    EXPECT_EQ(sqlite3_prepare_v2(m_db, sql.c_str(), -1, &statement, nullptr), SQLITE_OK) << sql;
    std::int64_t value = -1;
    if (sqlite3_step(statement) == SQLITE_ROW) value = sqlite3_column_int64(statement, 0);
    sqlite3_finalize(statement);
    return value;
  }
  std::string text(const std::string& sql) {
    sqlite3_stmt* statement = nullptr;
    EXPECT_EQ(sqlite3_prepare_v2(m_db, sql.c_str(), -1, &statement, nullptr), SQLITE_OK) << sql;
    std::string value;
    if (sqlite3_step(statement) == SQLITE_ROW) {
      const auto* bytes = static_cast<const char*>(sqlite3_column_blob(statement, 0));
      value.assign(bytes == nullptr ? "" : bytes,
                   static_cast<std::size_t>(sqlite3_column_bytes(statement, 0)));
    }
    sqlite3_finalize(statement);
    return value;
  }
  void exec(const std::string& sql) {
    char* error = nullptr;
    EXPECT_EQ(sqlite3_exec(m_db, sql.c_str(), nullptr, nullptr, &error), SQLITE_OK)
        << (error != nullptr ? error : "");
    sqlite3_free(error);
  }

 private:
  sqlite3* m_db = nullptr;
};

// RecordKind values (opcat.v1.RecordKind).
enum Kind {
  kRegion = 1,
  kAuthority = 2,
  kInstitution = 3,
  kChecklist = 4,
  kMonitor = 5,
  kTeam = 6,
  kVisit = 8
};

class AdminCliTest : public ::testing::Test {
 protected:
  fs::path data() const { return m_dir / "data"; }

  ExitResult admin(std::vector<std::string> args) {
    args.insert(args.begin(), "admin");
    return ServerProcess::runToExit(args);
  }
  // `admin COMMAND --data DIR args...`.
  ExitResult run(const std::string& command, std::vector<std::string> args = {}) {
    args.insert(args.begin(), {command, "--data", data().string()});
    return admin(std::move(args));
  }
  // As run(), with `input` on standard input (through sh, since runToExit gives /dev/null).
  ExitResult runWithInput(const std::string& command, const std::string& input,
                          std::vector<std::string> args) {
    const fs::path inputFile = m_dir / "stdin.txt";
    writeText(inputFile, input);
    std::vector<std::string> shell = {"-c",
                                      "f=$1; shift; exec \"$@\" < \"$f\"",
                                      "sh",
                                      inputFile.string(),
                                      ServerProcess::defaultBinary(),
                                      "admin",
                                      command,
                                      "--data",
                                      data().string()};
    shell.insert(shell.end(), args.begin(), args.end());
    return ServerProcess::runToExit(shell, std::chrono::seconds(10), "/bin/sh");
  }
  std::int64_t records(int kind) {
    RawDb db(data());
    return db.count("SELECT count(*) FROM records WHERE kind = " + std::to_string(kind));
  }
  std::int64_t count(const std::string& sql) { return RawDb(data()).count(sql); }

  // Imports the repository's registry; returns stdout.
  std::string importRepoRegistry() {
    const ExitResult r = run("import-registry",
                             {"--institutions", (kDataFiles / "institutions-sample.csv").string()});
    EXPECT_EQ(r.exitCode, 0) << r.stderrText;
    return r.stdoutText;
  }
  std::string addMonitor(const std::string& name) {
    const ExitResult r = run("monitor-add", {"--name", name, "--languages", "kk,ru"});
    EXPECT_EQ(r.exitCode, 0) << r.stderrText;
    return firstUuid(r.stdoutText);
  }

  TempDir m_dir{"opcat-admin"};
};

void expectUsage(const ExitResult& r, const std::string& command) {
  EXPECT_EQ(r.exitCode, 2) << r.stdoutText << r.stderrText;
  EXPECT_NE(r.stderrText.find("usage: opcat-server admin " + command), std::string::npos)
      << r.stderrText;
}

void expectRefused(const ExitResult& r, const std::string& reason) {
  EXPECT_EQ(r.exitCode, 1) << r.stdoutText << r.stderrText;
  EXPECT_EQ(r.stderrText.rfind("opcat-server admin: ", 0), 0u) << r.stderrText;
  EXPECT_NE(r.stderrText.find(reason), std::string::npos) << r.stderrText;
}

TEST_F(AdminCliTest, HelpListsEveryCommand) {
  const ExitResult help = admin({"--help"});
  EXPECT_EQ(help.exitCode, 0);
  for (const char* command : {"user-add", "user-list", "monitor-add", "team-add", "enroll-code",
                              "devices", "revoke", "import-registry", "load-checklists",
                              "plan-visit", "office-key", "audit-verify", "seed-demo"}) {
    EXPECT_NE(help.stdoutText.find(std::string("  ") + command + " "), std::string::npos)
        << command;
  }
  const ExitResult planHelp = admin({"plan-visit", "--help"});
  EXPECT_EQ(planHelp.exitCode, 0);
  EXPECT_NE(planHelp.stdoutText.find("Almaty time (UTC+5)"), std::string::npos);
  EXPECT_EQ(admin({}).exitCode, 2);
  EXPECT_EQ(admin({"no-such-command", "--data", data().string()}).exitCode, 2);
}

TEST_F(AdminCliTest, BadArgumentsExitTwoWithUsageAndCreateNothing) {
  const std::string d = data().string();
  expectUsage(admin({"user-list"}), "user-list");  // no --data
  expectUsage(run("user-add", {"--role", "admin"}), "user-add");
  expectUsage(run("user-add", {"--username", "Bad Name", "--role", "admin"}), "user-add");
  expectUsage(run("user-add", {"--username", "alice", "--role", "root"}), "user-add");
  expectUsage(run("monitor-add", {"--name", "A", "--languages", "kk,de"}), "monitor-add");
  expectUsage(run("monitor-add", {"--name", "A", "--bogus", "x"}), "monitor-add");
  expectUsage(run("team-add", {"--name", "T", "--region", "KZ-71"}), "team-add");
  expectUsage(run("team-add", {"--name", "T", "--region", "KZ-71", "--member",
                               std::string(kKnownMonitorless) + ":captain"}),
              "team-add");
  expectUsage(run("enroll-code", {"--monitor", "not-a-uuid"}), "enroll-code");
  expectUsage(run("enroll-code", {"--monitor", kKnownMonitorless, "--valid-hours", "0"}),
              "enroll-code");
  expectUsage(run("revoke", {}), "revoke");
  expectUsage(run("import-registry", {}), "import-registry");
  expectUsage(run("load-checklists", {}), "load-checklists");
  expectUsage(run("office-key", {}), "office-key");
  expectUsage(run("office-key", {"--show", "--rotate"}), "office-key");
  const std::vector<std::string> visit = {"--institution",   kKnownMonitorless, "--team",
                                          kKnownMonitorless, "--objectives",    "x"};
  auto planned = [&](std::vector<std::string> extra) {
    std::vector<std::string> args = visit;
    args.insert(args.end(), extra.begin(), extra.end());
    return run("plan-visit", args);
  };
  expectUsage(planned({"--type", "routine", "--start", "2026-12-01T10:00"}), "plan-visit");
  expectUsage(planned({"--type", "periodic", "--start", "2026-02-30T10:00"}), "plan-visit");
  expectUsage(planned({"--type", "periodic", "--start", "01.12.2026 10:00"}), "plan-visit");
  expectUsage(
      planned({"--type", "periodic", "--start", "2026-12-01T10:00", "--end", "2026-12-01T09:00"}),
      "plan-visit");
  expectUsage(planned({"--type", "periodic"}), "plan-visit");
  // Argument errors are found before the data folder is touched.
  EXPECT_FALSE(fs::exists(data()));
}

TEST_F(AdminCliTest, UserAddStoresAnArgon2idHashAndRefusesWeakOrDuplicateInput) {
  const ExitResult added = runWithInput("user-add", "correct horse battery staple\n",
                                        {"--username", "aigerim.s", "--role", "coordinator"});
  ASSERT_EQ(added.exitCode, 0) << added.stderrText;
  EXPECT_NE(added.stdoutText.find("user aigerim.s added (coordinator)"), std::string::npos);

  RawDb db(data());
  const std::string hash = db.text("SELECT password_hash FROM users WHERE username = 'aigerim.s'");
  EXPECT_EQ(hash.rfind("$argon2id$v=19$m=65536,t=2,p=1$", 0), 0u) << hash;
  EXPECT_EQ(db.count("SELECT count(*) FROM audit_log WHERE detail LIKE '%horse%'"), 0);
  EXPECT_EQ(db.count("SELECT count(*) FROM audit_log WHERE event = 'user.added'"), 1);

  expectRefused(runWithInput("user-add", "short pass\n", {"--username", "bob", "--role", "viewer"}),
                "shorter than 12 characters");
  expectRefused(runWithInput("user-add", std::string(1100, 'x') + "\n",
                             {"--username", "bob", "--role", "viewer"}),
                "longer than 1024 bytes");
  expectRefused(runWithInput("user-add", "another long password\n",
                             {"--username", "aigerim.s", "--role", "admin"}),
                "already exists");
  EXPECT_EQ(db.count("SELECT count(*) FROM users"), 1);

  const ExitResult list = run("user-list");
  EXPECT_EQ(list.exitCode, 0);
  EXPECT_NE(list.stdoutText.find("aigerim.s"), std::string::npos);
  EXPECT_NE(list.stdoutText.find("coordinator"), std::string::npos);
  EXPECT_NE(list.stdoutText.find("1 user"), std::string::npos);
}

TEST_F(AdminCliTest, MonitorsTeamsVisitsAndEnrollmentCodes) {
  importRepoRegistry();
  const std::string leader = addMonitor("Айгерім Сейітова");
  const std::string doctor = addMonitor("Ерлан Жумабаев");
  ASSERT_FALSE(leader.empty());
  EXPECT_EQ(records(kMonitor), 2);
  // An invalid record is refused by the validation, naming field and rule.
  expectRefused(run("monitor-add", {"--name", std::string(201, 'a')}), "full_name: max_length");
  EXPECT_EQ(records(kMonitor), 2);

  const ExitResult team = run("team-add", {"--name", "Астана 1", "--region", "KZ-71", "--member",
                                           leader + ":leader", "--member", doctor + ":doctor"});
  ASSERT_EQ(team.exitCode, 0) << team.stderrText;
  const std::string teamId = firstUuid(team.stdoutText);
  EXPECT_NE(team.stdoutText.find("2 members, region KZ-71"), std::string::npos);
  expectRefused(run("team-add", {"--name", "X", "--region", "KZ-99", "--member", leader}),
                "no region with ISO code 'KZ-99'");
  expectRefused(
      run("team-add", {"--name", "X", "--region", "KZ-71", "--member", kKnownMonitorless}),
      "no monitor with id");
  EXPECT_EQ(records(kTeam), 1);

  const std::string ivs = "08075933-2f2c-424f-b5a1-903e3e0fe1aa";  // IVS of Astana
  std::vector<std::string> visit = {"--institution", ivs,
                                    "--team",        teamId,
                                    "--type",        "periodic",
                                    "--start",       "2026-12-01T10:00",
                                    "--end",         "2026-12-01T18:00Z",
                                    "--objectives",  "Проверить регистрацию задержанных"};
  const ExitResult planned = run("plan-visit", visit);
  ASSERT_EQ(planned.exitCode, 0) << planned.stderrText;
  EXPECT_NE(planned.stdoutText.find("unannounced, starts 2026-12-01 10:00 (UTC+5)"),
            std::string::npos)
      << planned.stdoutText;
  {
    auto store = server::db::openSqliteServerStore(data());
    ASSERT_TRUE(store.isOk());
    const std::string visitId = firstUuid(planned.stdoutText);
    ASSERT_TRUE((*store)
                    ->read([&](server::db::StoreSession& session) {
                      auto stored = session.loadRecord(visitId);
                      EXPECT_TRUE(stored.isOk() && stored->has_value());
                      auto decoded = codec::decode<domain::Visit>((*stored)->content);
                      EXPECT_EQ(decoded->status, domain::VisitStatus::kPlanned);
                      EXPECT_EQ(decoded->plannedStartMs,
                                1'796'101'200'000);                         // 2026-12-01 05:00 UTC
                      EXPECT_EQ(decoded->plannedEndMs, 1'796'148'000'000);  // 2026-12-01 18:00 UTC
                      return Status::ok();
                    })
                    .isOk());
  }
  visit[1] = kKnownMonitorless;
  expectRefused(run("plan-visit", visit), "no institution with id");
  visit[1] = ivs;
  visit[3] = kKnownMonitorless;
  expectRefused(run("plan-visit", visit), "no team with id");
  EXPECT_EQ(records(kVisit), 1);

  const ExitResult code = run("enroll-code", {"--monitor", leader, "--valid-hours", "2"});
  ASSERT_EQ(code.exitCode, 0) << code.stderrText;
  EXPECT_TRUE(std::regex_search(code.stdoutText, std::regex("[2-9A-Z]{5}-[2-9A-Z]{5}")))
      << code.stdoutText;
  expectRefused(run("enroll-code", {"--monitor", kKnownMonitorless}), "no monitor with id");
  expectRefused(run("enroll-code", {"--monitor", teamId}), "no monitor with id");
  EXPECT_EQ(count("SELECT count(*) FROM enrollment_codes"), 1);

  const ExitResult devices = run("devices");
  EXPECT_EQ(devices.exitCode, 0);
  EXPECT_NE(devices.stdoutText.find("0 devices"), std::string::npos);
  expectRefused(run("revoke", {"--device", kKnownMonitorless}), "no device");
}

TEST_F(AdminCliTest, RegistryReimportUpdatesInsteadOfDuplicating) {
  const std::string first = importRepoRegistry();
  EXPECT_NE(first.find("regions:      20 (20 created"), std::string::npos) << first;
  EXPECT_NE(first.find("institutions: 49 (49 created"), std::string::npos) << first;
  EXPECT_EQ(records(kRegion), 20);
  EXPECT_EQ(records(kInstitution), 49);
  const std::int64_t logged = count("SELECT count(*) FROM change_log");

  const std::string again = importRepoRegistry();
  EXPECT_NE(again.find("institutions: 49 (0 created, 0 updated, 49 unchanged)"), std::string::npos)
      << again;
  EXPECT_EQ(count("SELECT count(*) FROM change_log"), logged);  // unchanged records log nothing

  // One institution renamed, with quoting, CRLF and a BOM as a spreadsheet writes them.
  std::string csv = readText(kDataFiles / "institutions-sample.csv");
  const std::string id = "08075933-2f2c-424f-b5a1-903e3e0fe1aa";
  const std::size_t row = csv.find(id);
  ASSERT_NE(row, std::string::npos);
  const std::size_t end = csv.find('\n', row);
  csv.replace(row, end - row,
              id + ",TEMPORARY_DETENTION,POLICE,KZ-71,ИВС Астана,\"ИВС \"\"Астана\"\", корпус 2\","
                   "\"Temporary detention,\nAstana\",\"г. Астана\",95");
  std::string crlf = "\xEF\xBB\xBF";
  for (char c : csv) {
    if (c != '\r') crlf += (c == '\n' ? std::string("\r\n") : std::string(1, c));
  }
  writeText(m_dir / "institutions.csv", crlf);
  const ExitResult updated =
      run("import-registry", {"--institutions", (m_dir / "institutions.csv").string()});
  ASSERT_EQ(updated.exitCode, 0) << updated.stderrText;
  EXPECT_NE(updated.stdoutText.find("49 (0 created, 1 updated, 48 unchanged)"), std::string::npos)
      << updated.stdoutText;
  EXPECT_EQ(records(kInstitution), 49);

  auto store = server::db::openSqliteServerStore(data());
  ASSERT_TRUE(store.isOk());
  ASSERT_TRUE((*store)
                  ->read([&](server::db::StoreSession& session) {
                    auto stored = session.loadRecord(id);
                    EXPECT_TRUE(stored.isOk() && stored->has_value());
                    auto institution = codec::decode<domain::Institution>((*stored)->content);
                    EXPECT_EQ(institution->name.ru, "ИВС \"Астана\", корпус 2");
                    EXPECT_EQ(institution->name.en, "Temporary detention,\r\nAstana");
                    EXPECT_EQ(institution->capacity, 95);
                    EXPECT_TRUE(institution->active);
                    return Status::ok();
                  })
                  .isOk());
}

TEST_F(AdminCliTest, ABadRowAnywhereImportsNothing) {
  const std::string header =
      "id,category,authority_code,region_iso,name_kk,name_ru,name_en,address,capacity\n";
  const std::string good1 =
      "6b3eec28-79cd-4184-b25f-f573d6b6f280,PENAL_COLONY,MIA-CPCS,KZ-35,A,А,A,addr,10\n";
  const std::string good2 =
      "8293b434-2248-49e2-bca0-d98abfb28ad5,PENAL_COLONY,MIA-CPCS,KZ-55,B,Б,B,addr,20\n";
  const std::string id = "ea3683bc-072a-4ba5-9cd3-885fa0eef5ce";
  struct Case {
    std::string row;
    std::string expected;
  };
  const std::vector<Case> cases = {
      {id + ",PRISON,MIA-CPCS,KZ-35,C,В,C,addr,5\n", "line 3, column 2 (category)"},
      {id + ",PENAL_COLONY,MIA-CPCS,KZ-99,C,В,C,addr,5\n", "line 3, column 4 (region_iso)"},
      {id + ",PENAL_COLONY,NOPE,KZ-35,C,В,C,addr,5\n", "line 3, column 3 (authority_code)"},
      {id + ",PENAL_COLONY,MIA-CPCS,KZ-35,C,В,C,addr,-5\n", "line 3, column 9 (capacity)"},
      {id + ",PENAL_COLONY,MIA-CPCS,KZ-35,C,В,C,addr\n", "line 3: 8 fields, the header has 9"},
      {id + ",PENAL_COLONY,MIA-CPCS,KZ-35,C,,C,addr,5\n",
       "line 3: Institution " + id + ": name.ru: required"},
      {"not-a-uuid,PENAL_COLONY,MIA-CPCS,KZ-35,C,В,C,addr,5\n", "line 3: Institution: id: uuid"},
      {good1, "line 3, column 1 (id): '6b3eec28-79cd-4184-b25f-f573d6b6f280' repeats line 2"},
      {id + ",PENAL_COLONY,MIA-CPCS,KZ-35,C,\"open,C,addr,5\n",
       "line 3, column 68: a quoted field is never closed"},
  };
  const fs::path file = m_dir / "bad.csv";
  ASSERT_EQ(run("user-list").exitCode, 0);  // makes the (empty) store
  for (const Case& c : cases) {
    writeText(file, header + good1 + c.row + good2);
    const ExitResult r = run("import-registry", {"--institutions", file.string()});
    expectRefused(r, file.string() + ": " + c.expected);
    EXPECT_NE(r.stderrText.find("nothing was imported"), std::string::npos);
    // The regions and authorities that came before the bad row were rolled back too.
    EXPECT_EQ(count("SELECT count(*) FROM records"), 0) << c.expected;
    EXPECT_EQ(count("SELECT count(*) FROM change_log"), 0) << c.expected;
  }
  expectRefused(run("import-registry", {"--institutions", (m_dir / "missing.csv").string()}),
                "missing.csv");

  // A row the store refuses while writing (an institution may not move to another region)
  // rolls back the rows written before it, here a renamed region.
  writeText(file, header + good1 + good2);
  ASSERT_EQ(run("import-registry", {"--institutions", file.string()}).exitCode, 0);
  const std::int64_t logged = count("SELECT count(*) FROM change_log");
  std::string regions = readText(kDataFiles / "regions.csv");
  regions.replace(regions.find("Abai Region"), 11, "Abai Oblast");
  writeText(m_dir / "regions.csv", regions);
  std::string moved = good2;
  moved.replace(moved.find("KZ-55"), 5, "KZ-10");
  writeText(file, header + good1 + moved);
  const ExitResult r = run("import-registry", {"--regions", (m_dir / "regions.csv").string(),
                                               "--institutions", file.string()});
  expectRefused(r, file.string() + ": line 3: Institution 8293b434");
  EXPECT_NE(r.stderrText.find("cannot move from parent"), std::string::npos) << r.stderrText;
  EXPECT_EQ(count("SELECT count(*) FROM change_log"), logged);
}

TEST_F(AdminCliTest, ChecklistsLoadFromJsonAndBadFilesAreNamed) {
  const ExitResult loaded = run("load-checklists", {(kDataFiles / "checklists").string()});
  ASSERT_EQ(loaded.exitCode, 0) << loaded.stderrText;
  EXPECT_NE(loaded.stdoutText.find("CHK-IVS v1"), std::string::npos) << loaded.stdoutText;
  EXPECT_NE(loaded.stdoutText.find("checklist templates: 11 (11 created"), std::string::npos);
  EXPECT_EQ(records(kChecklist), 11);
  const ExitResult again =
      run("load-checklists", {(kDataFiles / "checklists" / "penal_colony.json").string()});
  EXPECT_NE(again.stdoutText.find("(0 created, 0 updated, 1 unchanged)"), std::string::npos);

  // A second version of a template with one broken file beside it: nothing is loaded.
  std::string json = readText(kDataFiles / "checklists" / "penal_colony.json");
  const std::string oldId = "6c402c61-7e7a-49fe-9a62-1c777fee3323";
  json.replace(json.find(oldId), oldId.size(), "0b0e4bd9-58a3-4a7c-9a34-3c0c3a0d3b35");
  fs::create_directories(m_dir / "new");
  writeText(m_dir / "new" / "a_penal_colony_v2.json", json);
  writeText(m_dir / "new" / "b_broken.json", "{\"id\": \"x\", \"questionz\": []}");
  expectRefused(run("load-checklists", {(m_dir / "new").string()}), "b_broken.json");
  fs::remove(m_dir / "new" / "b_broken.json");

  std::string invalid = json;
  invalid.replace(invalid.find("\"version\": 1"), 12, "\"version\": 0");
  writeText(m_dir / "new" / "c_invalid.json", invalid);
  expectRefused(run("load-checklists", {(m_dir / "new").string()}), "version: range");
  EXPECT_EQ(records(kChecklist), 11);
}

TEST_F(AdminCliTest, RevokeWhileTheServerRunsRefusesTheDeviceAtItsNextRequest) {
  const ExitResult seeded = run("seed-demo");
  ASSERT_EQ(seeded.exitCode, 0) << seeded.stderrText;
  std::smatch match;
  ASSERT_TRUE(std::regex_search(seeded.stdoutText, match,
                                std::regex("enrollment code for .*: ([2-9A-Z]{5}-[2-9A-Z]{5})")));
  const std::string code = match[1].str();

  ServerProcess::Options options;
  options.dataDir = data();
  ServerProcess server(options);
  HttpClient client;
  v1::EnrollRequest enroll;
  enroll.set_code(code);
  enroll.set_device_name("Tablet 1 (Astana team)");
  const HttpResponse enrolled =
      client.request("POST", server.url() + "/v1/enroll", enroll.SerializeAsString(),
                     {{"Content-Type", "application/x-protobuf"}});
  ASSERT_EQ(enrolled.status, 200) << enrolled.body;
  v1::EnrollResponse device;
  ASSERT_TRUE(device.ParseFromString(enrolled.body));

  v1::PullRequest pullRequest;
  pullRequest.set_limit(10);
  const auto pull = [&] {
    return client.request("POST", server.url() + "/v1/sync/pull", pullRequest.SerializeAsString(),
                          {{"Content-Type", "application/x-protobuf"},
                           {"Authorization", "Bearer " + device.device_token()}});
  };
  EXPECT_EQ(pull().status, 200);

  const ExitResult listed = run("devices");
  EXPECT_NE(listed.stdoutText.find("device " + device.device_id() + "  active"), std::string::npos)
      << listed.stdoutText;
  EXPECT_NE(listed.stdoutText.find("Tablet 1 (Astana team)"), std::string::npos);

  // The server holds the data folder's lock; the command works beside it.
  const ExitResult revoked = run("revoke", {"--device", device.device_id()});
  ASSERT_EQ(revoked.exitCode, 0) << revoked.stderrText;
  EXPECT_EQ(pull().status, 401);

  const ExitResult after = run("devices");
  EXPECT_NE(after.stdoutText.find("device " + device.device_id() + "  REVOKED"), std::string::npos)
      << after.stdoutText;
  EXPECT_NE(after.stdoutText.find("1 device (1 revoked)"), std::string::npos);
  const ExitResult twice = run("revoke", {"--device", device.device_id()});
  EXPECT_EQ(twice.exitCode, 0);
  EXPECT_NE(twice.stdoutText.find("already revoked"), std::string::npos);
  EXPECT_EQ(count("SELECT count(*) FROM audit_log WHERE event = 'device.revoked'"), 1);
  EXPECT_EQ(server.stop(), 0);
}

TEST_F(AdminCliTest, AuditVerifyFindsAnAlteredEntry) {
  importRepoRegistry();
  const std::string monitor = addMonitor("Ольга Ким");
  ASSERT_EQ(run("enroll-code", {"--monitor", monitor}).exitCode, 0);
  ASSERT_EQ(run("office-key", {"--secret-key-out", (m_dir / "office.key").string()}).exitCode, 0);
  const ExitResult intact = run("audit-verify");
  EXPECT_EQ(intact.exitCode, 0) << intact.stderrText;
  EXPECT_NE(intact.stdoutText.find("audit log intact: 3 entries"), std::string::npos)
      << intact.stdoutText;
  {
    RawDb db(data());
    // The triggers forbid UPDATE; someone with the database file can drop them.
    db.exec("DROP TRIGGER audit_log_no_update");
    db.exec("UPDATE audit_log SET detail = 'monitor=" + std::string(kKnownMonitorless) +
            "' WHERE seq = 2");
  }
  const ExitResult broken = run("audit-verify");
  expectRefused(broken, "entry 2 was altered");
}

TEST_F(AdminCliTest, OfficeKeyWritesAPrivateFileAndRefusesToReplaceSilently) {
  const fs::path key = m_dir / "office.key";
  const ExitResult created = run("office-key", {"--secret-key-out", key.string()});
  ASSERT_EQ(created.exitCode, 0) << created.stderrText;
  struct stat info {};
  ASSERT_EQ(::stat(key.c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 07777, 0600u);
  const std::string keyFile = readText(key);
  std::smatch match;
  ASSERT_TRUE(std::regex_search(keyFile, match, std::regex("key-id: ([0-9a-f]{16})")));
  const std::string keyId = match[1].str();
  EXPECT_TRUE(std::regex_search(keyFile, std::regex("secret-key: [0-9a-f]{64}\n")));
  EXPECT_NE(created.stdoutText.find(keyId), std::string::npos);

  const ExitResult shown = run("office-key", {"--show"});
  EXPECT_EQ(shown.exitCode, 0);
  EXPECT_EQ(shown.stdoutText, "office key id: " + keyId + "\n");
  RawDb db(data());
  EXPECT_EQ(db.text("SELECT value FROM settings WHERE key = 'office_public_key'").size(), 32u);
  // Only the public half is on the server.
  EXPECT_EQ(db.count("SELECT count(*) FROM settings WHERE key LIKE '%secret%'"), 0);

  expectRefused(run("office-key", {"--secret-key-out", key.string(), "--rotate"}),
                "exists; refusing to overwrite");
  EXPECT_EQ(readText(key), keyFile);
  expectRefused(run("office-key", {"--secret-key-out", (m_dir / "other.key").string()}),
                "--rotate replaces it");
  EXPECT_FALSE(fs::exists(m_dir / "other.key"));
  EXPECT_EQ(run("office-key", {"--show"}).stdoutText, "office key id: " + keyId + "\n");

  const ExitResult rotated =
      run("office-key", {"--secret-key-out", (m_dir / "new.key").string(), "--rotate"});
  ASSERT_EQ(rotated.exitCode, 0) << rotated.stderrText;
  EXPECT_EQ(run("office-key", {"--show"}).stdoutText.find(keyId), std::string::npos);
  EXPECT_EQ(db.count("SELECT count(*) FROM audit_log WHERE event = 'office_key.rotated' AND "
                     "detail LIKE '%previous=" +
                     keyId + "'"),
            1);
}

TEST_F(AdminCliTest, SeedDemoTwiceAddsNothingTheSecondTime) {
  const ExitResult first = run("seed-demo");
  ASSERT_EQ(first.exitCode, 0) << first.stderrText;
  EXPECT_NE(first.stdoutText.find("WARNING"), std::string::npos);
  EXPECT_TRUE(std::regex_search(first.stdoutText,
                                std::regex("console user: coordinator  password: \\S{16} ")));
  EXPECT_TRUE(fs::exists(data() / "office-secret.demo.key"));
  const std::string countsSql =
      "SELECT group_concat(kind || ':' || n) FROM "
      "(SELECT kind, count(*) AS n FROM records GROUP BY kind)";
  RawDb db(data());
  const std::string before = db.text(countsSql);
  EXPECT_EQ(before, "1:20,2:9,3:49,4:11,5:3,6:1,8:2");
  const std::int64_t logged = db.count("SELECT count(*) FROM change_log");

  const ExitResult second = run("seed-demo");
  ASSERT_EQ(second.exitCode, 0) << second.stderrText;
  EXPECT_NE(second.stdoutText.find("(exists; password not shown again)"), std::string::npos);
  EXPECT_NE(second.stdoutText.find("visits:       0 created, 0 updated, 2 unchanged"),
            std::string::npos)
      << second.stdoutText;
  EXPECT_EQ(db.text(countsSql), before);
  EXPECT_EQ(db.count("SELECT count(*) FROM change_log"), logged);
  EXPECT_EQ(db.count("SELECT count(*) FROM users"), 1);
  EXPECT_EQ(run("audit-verify").exitCode, 0);
}

}  // namespace
}  // namespace opcat::testing
