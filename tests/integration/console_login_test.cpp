// Staff sign-in for the coordinators' console, through the real binary on a free port of
// 127.0.0.1: the session cookie and its flags, one answer for every failed sign-in, refused
// bodies, rate limits that refuse before any password check, the audit trail (and no password
// or token in it or in the server's log), and the separation of session cookies from device
// tokens. Users are added with the real `opcat-server admin user-add`.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <regex>
#include <string>
#include <thread>
#include <vector>

#include "db/sqlite_server_store.h"
#include "seeded_server.h"
#include "support/http_client.h"
#include "support/server_process.h"
#include "support/temp_dir.h"

namespace opcat::testing {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

constexpr char kAlicePassword[] = "correct horse battery staple";
constexpr char kBobPassword[] = "Жасыл алма 2024 bob";
constexpr char kCarolPassword[] = "carol's long passphrase";
constexpr char kWrongPassword[] = "wrong-but-long-password-123";

int problemCode(const std::string& body) {
  std::smatch match;
  if (!std::regex_search(body, match, std::regex(R"("code":(\d+))"))) return 0;
  return std::stoi(match[1].str());
}

std::string firstUuid(const std::string& text) {
  std::smatch match;
  static const std::regex uuid("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
  return std::regex_search(text, match, uuid) ? match.str() : "";
}

std::string loginBody(const std::string& username, const std::string& password) {
  return "{\"username\":\"" + username + "\",\"password\":\"" + password + "\"}";
}

// The token of an `opcat_session=TOKEN; ...` Set-Cookie value.
std::string cookieToken(const std::string& setCookie) {
  const std::string prefix = "opcat_session=";
  if (setCookie.rfind(prefix, 0) != 0) return {};
  return setCookie.substr(prefix.size(), setCookie.find(';') - prefix.size());
}

HttpHeaders withCookie(const std::string& token) { return {{"Cookie", "opcat_session=" + token}}; }

// The number `"name":N` of a JSON body, or -1.
long long msField(const std::string& body, const std::string& name) {
  std::smatch match;
  if (!std::regex_search(body, match, std::regex("\"" + name + "\":(\\d+)"))) return -1;
  return std::stoll(match[1].str());
}

// A data folder with three staff users, made once with the real CLI (each user-add hashes with
// Argon2id) and copied for every test: alice (coordinator), bob (viewer), carol (disabled).
class ConsoleLoginTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    s_template = new TempDir("opcat-console-template");
    s_aliceId = addUser("alice", "coordinator", kAlicePassword);
    s_bobId = addUser("bob", "viewer", kBobPassword);
    addUser("carol", "admin", kCarolPassword);
    setDisabled(templateData(), "carol", true);
  }
  static void TearDownTestSuite() {
    delete s_template;
    s_template = nullptr;
  }

  static fs::path templateData() { return *s_template / "data"; }

  static std::string addUser(const std::string& name, const std::string& role,
                             const std::string& password) {
    const fs::path input = *s_template / "stdin.txt";
    std::ofstream(input, std::ios::binary) << password << "\n";
    const ExitResult added =
        ServerProcess::runToExit({"-c", "f=$1; shift; exec \"$@\" < \"$f\"", "sh", input.string(),
                                  ServerProcess::defaultBinary(), "admin", "user-add", "--data",
                                  templateData().string(), "--username", name, "--role", role},
                                 std::chrono::seconds(20), "/bin/sh");
    fs::remove(input);
    EXPECT_EQ(added.exitCode, 0) << added.stderrText;
    return firstUuid(added.stdoutText);
  }

  static void setDisabled(const fs::path& dataDir, const std::string& name, bool disabled) {
    auto store = server::db::openSqliteServerStore(dataDir);
    ASSERT_TRUE(store.isOk()) << store.status().toString();
    const Status done = (*store)->write([&](server::db::StoreSession& s) -> Status {
      auto user = s.findUserByName(name);
      if (!user) return user.status();
      if (!*user) return Status::error(StatusCode::kNotFound, name);
      (*user)->disabled = disabled;
      return s.saveUser(**user);
    });
    ASSERT_TRUE(done.isOk()) << done.toString();
  }

  fs::path data() const { return m_dir / "data"; }

  // A server on a copy of the template folder; `configText` goes into its config file.
  std::unique_ptr<ServerProcess> startServer(const std::string& configText = {}) {
    if (!fs::exists(data())) {
      fs::copy(templateData(), data(), fs::copy_options::recursive);
      fs::permissions(data(), fs::perms::owner_all, fs::perm_options::replace);
    }
    ServerProcess::Options options;
    options.dataDir = data();
    if (!configText.empty()) {
      const fs::path config = m_dir / "server.conf";
      std::ofstream(config, std::ios::binary) << configText;
      options.args = {"--config", config.string()};
    }
    return std::make_unique<ServerProcess>(options);
  }

  HttpResponse login(const ServerProcess& server, const std::string& username,
                     const std::string& password) {
    return m_client.post(server.url() + "/console/api/login", loginBody(username, password));
  }
  HttpResponse session(const ServerProcess& server, const HttpHeaders& headers = {}) {
    return m_client.get(server.url() + "/console/api/session", headers);
  }

  std::vector<server::db::AuditEntry> audit() {
    auto store = server::db::openSqliteServerStore(data());
    EXPECT_TRUE(store.isOk()) << store.status().toString();
    std::vector<server::db::AuditEntry> entries;
    if (!store.isOk()) return entries;
    const Status done = (*store)->read([&](server::db::StoreSession& s) -> Status {
      auto all = s.auditEntries();
      if (!all) return all.status();
      entries = std::move(all).value();
      return Status::ok();
    });
    EXPECT_TRUE(done.isOk()) << done.toString();
    return entries;
  }

  static inline TempDir* s_template = nullptr;
  static inline std::string s_aliceId;
  static inline std::string s_bobId;
  TempDir m_dir{"opcat-console"};
  HttpClient m_client;
};

TEST_F(ConsoleLoginTest, SignInSetsAStrictCookieThatSignOutEnds) {
  auto server = startServer();
  const HttpResponse signedIn = login(*server, "alice", kAlicePassword);
  ASSERT_EQ(signedIn.status, 200) << signedIn.body << signedIn.error;
  EXPECT_EQ(signedIn.header("Content-Type").value_or(""), "application/json");
  EXPECT_EQ(signedIn.header("Cache-Control").value_or(""), "no-store");
  EXPECT_TRUE(std::regex_match(
      signedIn.body,
      std::regex(
          R"(\{"username":"alice","role":"coordinator","expiresAtMs":\d+,"idleExpiresAtMs":\d+\})")))
      << signedIn.body;

  const std::string setCookie = signedIn.header("Set-Cookie").value_or("");
  const std::string token = cookieToken(setCookie);
  EXPECT_TRUE(std::regex_match(token, std::regex("[A-Za-z0-9_-]{43}"))) << setCookie;
  for (const char* flag :
       {"; HttpOnly", "; Secure", "; SameSite=Strict", "; Path=/console", "; Max-Age=28800"}) {
    EXPECT_NE(setCookie.find(flag), std::string::npos) << flag << " in " << setCookie;
  }

  const HttpResponse current = session(*server, withCookie(token));
  EXPECT_EQ(current.status, 200) << current.body;
  // Within a minute of the sign-in its use is not recorded again: the idle end stays the same.
  EXPECT_EQ(current.body, signedIn.body);
  EXPECT_EQ(msField(signedIn.body, "idleExpiresAtMs") - msField(signedIn.body, "expiresAtMs"),
            (15 - 8 * 60) * 60 * 1000LL);
  const HttpResponse anonymous = session(*server);
  EXPECT_EQ(anonymous.status, 401);
  EXPECT_EQ(problemCode(anonymous.body), 1401);
  EXPECT_EQ(anonymous.header("Content-Type").value_or(""), "application/problem+json");

  const HttpResponse out =
      m_client.request("POST", server->url() + "/console/api/logout", {}, withCookie(token));
  EXPECT_EQ(out.status, 204) << out.body;
  EXPECT_NE(out.header("Set-Cookie").value_or("").find("opcat_session=; Path=/console; Max-Age=0"),
            std::string::npos);
  const HttpResponse after = session(*server, withCookie(token));
  EXPECT_EQ(after.status, 401);
  EXPECT_EQ(problemCode(after.body), 1401);
  // Signing out again is no error.
  EXPECT_EQ(
      m_client.request("POST", server->url() + "/console/api/logout", {}, withCookie(token)).status,
      204);

  // The access log names alice by id for her sign-in and her session; never her secrets.
  const std::string log = server->stderrText();
  EXPECT_NE(log.find(R"("route":"/console/api/login","status":200)"), std::string::npos) << log;
  EXPECT_TRUE(std::regex_search(
      log, std::regex(R"("route":"/console/api/login","status":200,[^}]*"principal":")" +
                      s_aliceId + "\"")))
      << log;
  EXPECT_TRUE(std::regex_search(
      log, std::regex(R"("route":"/console/api/session","status":200,[^}]*"principal":")" +
                      s_aliceId + "\"")))
      << log;
  EXPECT_EQ(log.find(kAlicePassword), std::string::npos);
  EXPECT_EQ(log.find(token), std::string::npos);
}

TEST_F(ConsoleLoginTest, EveryFailedSignInGetsTheSameAnswer) {
  auto server = startServer();
  const HttpResponse wrong = login(*server, "alice", kWrongPassword);
  const HttpResponse unknown = login(*server, "mallory", kAlicePassword);
  const HttpResponse disabled = login(*server, "carol", kCarolPassword);
  for (const HttpResponse* r : {&wrong, &unknown, &disabled}) {
    EXPECT_EQ(r->status, 401) << r->body;
    EXPECT_EQ(problemCode(r->body), 1410) << r->body;
    EXPECT_FALSE(r->header("Set-Cookie").has_value());
  }
  EXPECT_EQ(wrong.body, unknown.body);
  EXPECT_EQ(wrong.body, disabled.body);
  // A user disabled while signed in loses the session at the next request.
  const HttpResponse bob = login(*server, "bob", kBobPassword);
  ASSERT_EQ(bob.status, 200) << bob.body;
  const std::string token = cookieToken(bob.header("Set-Cookie").value_or(""));
  EXPECT_EQ(session(*server, withCookie(token)).status, 200);
  setDisabled(data(), "bob", true);
  EXPECT_EQ(session(*server, withCookie(token)).status, 401);
}

TEST_F(ConsoleLoginTest, MalformedBodiesAreRefusedWithNumberedProblems) {
  auto server = startServer();
  const std::string url = server->url() + "/console/api/login";
  struct Case {
    const char* what;
    std::string body;
    std::string contentType;
    long status;
    int code;
  };
  const std::vector<Case> cases = {
      {"form post", "username=alice&password=x", "application/x-www-form-urlencoded", 415, 1003},
      {"text", loginBody("alice", kAlicePassword), "text/plain", 415, 1003},
      {"not JSON", "{username: alice}", "application/json", 400, 1020},
      {"truncated", "{\"username\":\"alice\",", "application/json", 400, 1020},
      {"no password", "{\"username\":\"alice\"}", "application/json", 400, 1020},
      {"number", "{\"username\":\"alice\",\"password\":12345}", "application/json", 400, 1020},
      {"invalid UTF-8", loginBody("alice", "pass\xff\xfeword-long"), "application/json", 400, 1020},
      {"long username", loginBody(std::string(65, 'a'), kAlicePassword), "application/json", 400,
       1001},
      {"long password", loginBody("alice", std::string(1025, 'p')), "application/json", 400, 1001},
      {"empty password", loginBody("alice", ""), "application/json", 400, 1001},
      {"oversized", loginBody("alice", std::string(5000, 'p')), "application/json", 413, 1002},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.what);
    const HttpResponse r = m_client.post(url, c.body, c.contentType);
    EXPECT_EQ(r.status, c.status) << r.body << r.error;
    EXPECT_EQ(problemCode(r.body), c.code) << r.body;
    EXPECT_EQ(r.header("Content-Type").value_or(""), "application/problem+json");
  }
  EXPECT_EQ(m_client.get(server->url() + "/healthz").status, 200);
  // None of them counted against the limits, and the parameters of the type are accepted.
  const HttpResponse ok =
      m_client.post(url, loginBody("alice", kAlicePassword), "application/json; charset=utf-8");
  EXPECT_EQ(ok.status, 200) << ok.body;
  EXPECT_EQ(server->stderrText().find("pass\xff\xfeword"), std::string::npos);
}

TEST_F(ConsoleLoginTest, ThrottledSignInsAreRefusedBeforeThePasswordIsChecked) {
  auto server = startServer();
  for (int i = 0; i < 5; ++i) {
    const HttpResponse r = login(*server, "alice", kWrongPassword);
    EXPECT_EQ(r.status, 401) << "attempt " << i + 1 << ": " << r.body;
  }
  const HttpResponse sixth = login(*server, "alice", kWrongPassword);
  EXPECT_EQ(sixth.status, 429) << sixth.body;
  EXPECT_EQ(problemCode(sixth.body), 1429);
  EXPECT_GT(std::stoi(sixth.header("Retry-After").value_or("0")), 0);
  // The right password does not help while alice is throttled: it is not even looked at.
  const HttpResponse right = login(*server, "alice", kAlicePassword);
  EXPECT_EQ(right.status, 429) << right.body;
  EXPECT_FALSE(right.header("Set-Cookie").has_value());

  // Another user from the same address may still sign in, until the address runs out (10
  // attempts at once; 7 are spent, and one more may have come back since).
  EXPECT_EQ(login(*server, "bob", kBobPassword).status, 200);
  int refusedAfter = 0;
  for (int i = 1; i <= 5; ++i) {
    const HttpResponse r = login(*server, "bob", kWrongPassword);
    if (r.status == 429) {
      refusedAfter = i;
      EXPECT_EQ(problemCode(r.body), 1429);
      EXPECT_GT(std::stoi(r.header("Retry-After").value_or("0")), 0);
      break;
    }
    EXPECT_EQ(r.status, 401) << r.body;
  }
  EXPECT_GE(refusedAfter, 3);
  EXPECT_LE(refusedAfter, 4);

  std::vector<std::string> events;
  for (const auto& e : audit()) events.push_back(e.event + (e.actor == s_aliceId ? " alice" : ""));
  EXPECT_EQ(std::count(events.begin(), events.end(), "login.succeeded alice"), 0);
  EXPECT_GE(std::count(events.begin(), events.end(), "login.throttled"), 2);
}

TEST_F(ConsoleLoginTest, AuditTrailNamesAttemptsButNeverSecrets) {
  auto server = startServer();
  ASSERT_EQ(login(*server, "alice", kWrongPassword).status, 401);
  ASSERT_EQ(login(*server, R"(mal\"lory\n)", kBobPassword).status, 401);
  const HttpResponse signedIn = login(*server, "alice", kAlicePassword);
  ASSERT_EQ(signedIn.status, 200);
  const std::string token = cookieToken(signedIn.header("Set-Cookie").value_or(""));
  ASSERT_EQ(
      m_client.request("POST", server->url() + "/console/api/logout", {}, withCookie(token)).status,
      204);
  // A forged cookie is a refused sign-in, audited without the cookie.
  ASSERT_EQ(session(*server, withCookie("forged-token-value")).status, 401);

  const auto entries = audit();
  std::vector<std::string> failures;
  bool succeeded = false, loggedOut = false, refused = false;
  for (const auto& e : entries) {
    for (const char* secret : {kAlicePassword, kBobPassword, kWrongPassword}) {
      EXPECT_EQ(e.detail.find(secret), std::string::npos) << e.event << ": " << e.detail;
    }
    EXPECT_EQ(e.detail.find(token), std::string::npos) << e.detail;
    EXPECT_EQ(e.detail.find("forged-token-value"), std::string::npos) << e.detail;
    if (e.event == "login.failed") failures.push_back(e.detail);
    if (e.event == "login.succeeded") {
      succeeded = true;
      EXPECT_EQ(e.actor, s_aliceId);
    }
    if (e.event == "logout") loggedOut = e.actor == s_aliceId;
    if (e.event == "auth.refused") refused = e.detail.find("unknown session") != std::string::npos;
  }
  EXPECT_TRUE(succeeded);
  EXPECT_TRUE(loggedOut);
  EXPECT_TRUE(refused);
  ASSERT_EQ(failures.size(), 2u);
  EXPECT_NE(failures[0].find("username=\"alice\" user=" + s_aliceId +
                             " reason=wrong password "
                             "from=127.0.0.1"),
            std::string::npos)
      << failures[0];
  // A username is quoted and escaped: it cannot forge a field or a line.
  EXPECT_NE(failures[1].find(R"(username="mal\"lory\n" reason=unknown user)"), std::string::npos)
      << failures[1];

  EXPECT_EQ(server->stop(), 0);
  const ExitResult verified = ServerProcess::runToExit(
      {"admin", "audit-verify", "--data", data().string()}, std::chrono::seconds(10));
  EXPECT_EQ(verified.exitCode, 0) << verified.stdoutText << verified.stderrText;
  EXPECT_NE(verified.stdoutText.find("audit log intact"), std::string::npos);
  const std::string log = server->stderrText();
  for (const std::string& secret :
       std::vector<std::string>{kAlicePassword, kBobPassword, kWrongPassword, token}) {
    EXPECT_EQ(log.find(secret), std::string::npos) << secret;
  }
}

TEST_F(ConsoleLoginTest, DeviceTokensAndSessionCookiesAreNotInterchangeable) {
  fs::copy(templateData(), data(), fs::copy_options::recursive);
  fs::permissions(data(), fs::perms::owner_all, fs::perm_options::replace);
  const SeededData seeded = seedServerData(data());
  const EnrolledDevice device = enrollDevices(data(), seeded.monitorA, 1).at(0);
  auto server = startServer();
  const HttpResponse signedIn = login(*server, "alice", kAlicePassword);
  ASSERT_EQ(signedIn.status, 200);
  const std::string token = cookieToken(signedIn.header("Set-Cookie").value_or(""));

  auto sync = [&](const std::string& route, const std::string& bearer) {
    return m_client.request(
        "POST", server->url() + route, {},
        {{"Authorization", "Bearer " + bearer}, {"Content-Type", "application/x-protobuf"}});
  };
  // Each credential works where it belongs...
  EXPECT_EQ(sync("/v1/sync/pull", device.token).status, 200);
  EXPECT_EQ(session(*server, withCookie(token)).status, 200);
  // ...and nowhere else.
  EXPECT_EQ(session(*server, withCookie(device.token)).status, 401);
  EXPECT_EQ(sync("/v1/sync/push", token).status, 401);
  EXPECT_EQ(sync("/v1/sync/pull", token).status, 401);
}

TEST_F(ConsoleLoginTest, ExpiredSessionsAreRefused) {
  auto server = startServer("console_session_ttl_s = 1\n");
  const HttpResponse signedIn = login(*server, "alice", kAlicePassword);
  ASSERT_EQ(signedIn.status, 200);
  const std::string setCookie = signedIn.header("Set-Cookie").value_or("");
  EXPECT_NE(setCookie.find("; Max-Age=1;"), std::string::npos) << setCookie;
  const std::string token = cookieToken(setCookie);
  EXPECT_EQ(session(*server, withCookie(token)).status, 200);
  std::this_thread::sleep_for(1100ms);
  const HttpResponse expired = session(*server, withCookie(token));
  EXPECT_EQ(expired.status, 401);
  EXPECT_EQ(problemCode(expired.body), 1401);
}

TEST_F(ConsoleLoginTest, IdleSessionsEndButUseKeepsThemAlive) {
  // 2 s idle limit: a use is recorded when the recorded one is 133 ms old (a 15th).
  auto server = startServer("console_idle_timeout_s = 2\n");
  const HttpResponse signedIn = login(*server, "alice", kAlicePassword);
  ASSERT_EQ(signedIn.status, 200) << signedIn.body;
  const std::string setCookie = signedIn.header("Set-Cookie").value_or("");
  // The cookie lasts as long as the session may; the server ends it earlier when idle.
  EXPECT_NE(setCookie.find("; Max-Age=28800;"), std::string::npos) << setCookie;
  const std::string token = cookieToken(setCookie);
  long long idleEnd = msField(signedIn.body, "idleExpiresAtMs");
  EXPECT_EQ(msField(signedIn.body, "expiresAtMs") - idleEnd, 28800 * 1000LL - 2000);

  // Used every 400 ms for 3.2 s, well past the limit: each use pushes the idle end further.
  for (int i = 0; i < 8; ++i) {
    std::this_thread::sleep_for(400ms);
    const HttpResponse used = session(*server, withCookie(token));
    ASSERT_EQ(used.status, 200) << "use " << i + 1 << ": " << used.body;
    const long long next = msField(used.body, "idleExpiresAtMs");
    EXPECT_GT(next, idleEnd) << "use " << i + 1;
    idleEnd = next;
  }

  // Left alone for longer than the limit, it is refused like any other dead session.
  std::this_thread::sleep_for(2300ms);
  const HttpResponse idle = session(*server, withCookie(token));
  EXPECT_EQ(idle.status, 401) << idle.body;
  EXPECT_EQ(problemCode(idle.body), 1401);
  const HttpResponse forged = session(*server, withCookie("forged-token-value"));
  EXPECT_EQ(idle.body, forged.body);
  // Signing in again works at once.
  EXPECT_EQ(login(*server, "alice", kAlicePassword).status, 200);

  bool audited = false;
  for (const auto& e : audit()) {
    if (e.event == "auth.refused" && e.detail.find("idle session of user " + s_aliceId) == 0) {
      audited = true;
    }
    EXPECT_EQ(e.detail.find(token), std::string::npos) << e.detail;
  }
  EXPECT_TRUE(audited);
}

}  // namespace
}  // namespace opcat::testing
