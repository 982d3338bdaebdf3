// Interception (SYNC.md threat: a facility network that reads or alters the sync): the server
// runs with TLS and tablets keep its public-key pins, sealed in their store. A tablet with the
// right pins syncs. A tablet whose stored pins match no key the server presents (an
// intercepting proxy with a certificate the device trusts, or pins that do not fit), or that
// reaches a certificate for another host name, fails with a TLS or pin error before any request
// byte leaves it: the server's access log has no line for the attempt, the outbox is untouched,
// and the SyncRunner stops at once instead of knocking again.
#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "net/curl_transport.h"
#include "net/net_error.h"
#include "net/retry_policy.h"
#include "seeded_server.h"
#include "storage/outbox.h"
#include "storage/repositories.h"
#include "suite_pki.h"
#include "suite_tablet.h"
#include "support/sample_records.h"
#include "support/server_process.h"
#include "support/temp_dir.h"
#include "sync/client/sync_endpoint.h"
#include "sync/client/sync_runner.h"
#include "sync/codec/change_codec.h"

namespace opcat::testing {
namespace {

using namespace std::chrono_literals;

const std::string kUnknownPin = "sha256//" + std::string(43, 'A') + "=";

const SuitePki& pki() {
  static const SuitePki instance;
  return instance;
}

// Access-log lines for `route` so far.
int requestsFor(const ServerProcess& server, const std::string& route) {
  const std::string log = server.stderrText();
  const std::string needle = "\"route\":\"" + route + "\"";
  int count = 0;
  for (auto at = log.find(needle); at != std::string::npos; at = log.find(needle, at + 1)) ++count;
  return count;
}

struct RouteCounts {
  int enroll = 0, push = 0, pull = 0;
  friend bool operator==(const RouteCounts&, const RouteCounts&) = default;
};

// The sync routes' lines once every request the server took in has been logged: the server
// is stopped (it logs each exchange before it exits) and started again on the same port.
RouteCounts settledCounts(ServerProcess& server) {
  server.stop();
  const RouteCounts counts{requestsFor(server, "/v1/enroll"), requestsFor(server, "/v1/sync/push"),
                           requestsFor(server, "/v1/sync/pull")};
  server.restart();
  return counts;
}

// The outbox as bytes: sequence and encoded change of each entry.
std::vector<std::pair<std::uint64_t, std::string>> outboxOf(storage::TabletStore& store) {
  auto entries = storage::Outbox(store).peek(100000, SIZE_MAX);
  EXPECT_TRUE(entries.isOk());
  std::vector<std::pair<std::uint64_t, std::string>> out;
  if (entries.isOk()) {
    for (const auto& e : *entries) out.emplace_back(e.sequence, codec::encodeChange(e.change));
  }
  return out;
}

class InterceptionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(pki().ok()) << "the openssl CLI could not make the test PKI";
    m_data = seedServerData(m_temp.path() / "server");
    m_server = std::make_unique<ServerProcess>(serverWith("server"));
  }

  // The real server binary on the data folder with certificate `name`; on the port of the first
  // one when it ran already (an interceptor answering at the same address).
  ServerProcess::Options serverWith(const std::string& name) {
    ServerProcess::Options options;
    options.dataDir = m_temp.path() / "server";
    options.args = {"--tls-cert", pki().file(name + ".pem"), "--tls-key",
                    pki().file(name + ".key")};
    if (m_server) options.listen = "127.0.0.1:" + std::to_string(m_server->port());
    return options;
  }
  void replaceServerWith(const std::string& name) {
    auto options = serverWith(name);
    m_server->stop();
    m_server.reset();
    m_server = std::make_unique<ServerProcess>(options);
  }

  SuiteTablet enrolled(const std::string& name, const std::string& code,
                       std::vector<std::string> pins, const std::string& caFile) {
    TabletOptions options;
    options.curl.caFile = caFile;
    options.curl.pins = std::move(pins);
    options.curl.connectTimeout = 5s;
    return makeTablet(m_temp.path() / name, name, m_server->url(), code, options);
  }

  // A new store that is not enrolled, for enrollments a test expects to be refused.
  std::unique_ptr<storage::TabletStore> bareStore(const std::string& name) {
    storage::StoreOptions fast;
    fast.kdf = crypto::Argon2Params::fastForTests();
    auto store = storage::TabletStore::create(m_temp.path() / name, kSuitePassphrase, fast);
    EXPECT_TRUE(store.isOk()) << store.status().toString();
    return store.isOk() ? std::move(store).value() : nullptr;
  }

  static void recordFindings(SuiteTablet& t, const std::string& visit, int n) {
    for (int i = 0; i < n; ++i) {
      ASSERT_TRUE(storage::FindingRepository(*t.store).save(sampleFinding(visit), t.name).isOk());
    }
  }

  // Runs a SyncRunner over `t` as the app would, with sleeps recorded instead of waited.
  Result<sync::SyncReport> runUntilDone(SuiteTablet& t) {
    net::Backoff backoff;
    net::RequestPacer pacer([this] { return m_now; });
    sync::SyncRunner runner(
        *t.engine, backoff, pacer,
        [this](std::chrono::milliseconds d) {
          m_sleeps.push_back(d);
          m_now += d;
        },
        [this] { return m_now; });
    auto report = runner.syncUntilDone(1h);
    m_attempts = runner.attempts();
    return report;
  }

  // The failed-run checks shared by every interception: the category, one attempt and no
  // wait, the outbox as it was, and no request in the log of `server`.
  void expectStoppedBeforeAnyRequest(SuiteTablet& t, net::NetError expected) {
    const auto outboxBefore = outboxOf(*t.store);
    ASSERT_FALSE(outboxBefore.empty());
    const RouteCounts before = settledCounts(*m_server);
    m_sleeps.clear();
    auto report = runUntilDone(t);
    ASSERT_FALSE(report.isOk());
    EXPECT_EQ(net::netErrorOf(report.status()), expected) << report.status().toString();
    EXPECT_EQ(m_attempts, 1u) << "the runner must not knock again";
    EXPECT_TRUE(m_sleeps.empty());
    EXPECT_EQ(outboxOf(*t.store), outboxBefore) << "the outbox is untouched";
    EXPECT_EQ(settledCounts(*m_server), before) << "the server saw a request:\n"
                                                << m_server->stderrText();
  }

  TempDir m_temp{"opcat-interception"};
  SeededData m_data;
  std::unique_ptr<ServerProcess> m_server;
  std::chrono::steady_clock::time_point m_now{std::chrono::hours(1)};
  std::vector<std::chrono::milliseconds> m_sleeps;
  std::size_t m_attempts = 0;
};

TEST_F(InterceptionTest, PinnedTabletSyncsAndWrongPinsNeverReachTheServer) {
  const std::string ca = pki().file("ca.pem");
  SuiteTablet good = enrolled("good", m_data.codeA, {pki().pin("server"), kUnknownPin}, ca);
  recordFindings(good, m_data.visit1, 3);
  auto report = runUntilDone(good);
  ASSERT_TRUE(report.isOk()) << report.status().toString();
  EXPECT_EQ(report->accepted, 3u);
  const RouteCounts afterGood = settledCounts(*m_server);
  EXPECT_EQ(afterGood.enroll, 1);
  EXPECT_EQ(afterGood.push, 1);

  // Enrolling with pins that fit no key of the server: refused before the code is sent.
  auto store = bareStore("mallory");
  ASSERT_NE(store, nullptr);
  net::CurlOptions wrong;
  wrong.caFile = ca;
  wrong.pins = {kUnknownPin, pki().pin("other")};
  net::CurlTransport wrongTransport(wrong);
  const Status refused = sync::enrollDevice(*store, wrongTransport, m_server->url(), m_data.codeA2,
                                            "mallory", wrong.pins, ca);
  EXPECT_EQ(net::netErrorOf(refused), net::NetError::kPinMismatch) << refused.toString();
  EXPECT_EQ(settledCounts(*m_server), afterGood) << m_server->stderrText();

  // The code never arrived, so it still works with the right pins.
  SuiteTablet stale =
      enrolled("stale", m_data.codeA2, {pki().pin("server"), kUnknownPin}, ca);
  recordFindings(stale, m_data.visit1, 2);
  // Its stored pins stop fitting (as after a key change it missed): it must not sync.
  auto endpoint = sync::loadEndpoint(*stale.store);
  ASSERT_TRUE(endpoint.isOk());
  endpoint->pins = {kUnknownPin, pki().pin("other")};
  ASSERT_TRUE(sync::saveEndpoint(*stale.store, *endpoint).isOk());
  stale.reconnect();
  expectStoppedBeforeAnyRequest(stale, net::NetError::kPinMismatch);

  // The good tablet is not affected.
  recordFindings(good, m_data.visit1, 1);
  auto again = runUntilDone(good);
  ASSERT_TRUE(again.isOk()) << again.status().toString();
  EXPECT_EQ(again->accepted, 1u);
}

// Over TLS a tablet must keep two pins, the server's key and a backup: with the CA alone a
// proxy the device trusts could read every sync, and a lone pin would strand the tablet when the
// key changes. Enrolling without them is refused before the code leaves the tablet.
TEST_F(InterceptionTest, EnrollingOverTlsWithoutTwoPinsIsRefusedBeforeTheCodeIsSent) {
  const std::string ca = pki().file("ca.pem");
  auto store = bareStore("careless");
  ASSERT_NE(store, nullptr);
  const std::vector<std::vector<std::string>> tooFew = {
      {}, {pki().pin("server")}, {pki().pin("server"), pki().pin("server")}};
  for (const std::vector<std::string>& pins : tooFew) {
    net::CurlOptions options;
    options.caFile = ca;
    options.pins = pins;
    net::CurlTransport transport(options);
    const Status refused = sync::enrollDevice(*store, transport, m_server->url(), m_data.codeA,
                                              "careless", pins, ca);
    EXPECT_EQ(refused.code(), StatusCode::kInvalidArgument) << refused.toString();
    EXPECT_NE(refused.message().find("two pins"), std::string::npos) << refused.message();
  }
  EXPECT_EQ(settledCounts(*m_server), RouteCounts{}) << m_server->stderrText();
  EXPECT_FALSE(sync::loadEndpoint(*store).isOk()) << "nothing was stored";

  // The code never left the tablet, so it still enrolls one with both pins.
  SuiteTablet careful = enrolled("careful", m_data.codeA, {pki().pin("server"), kUnknownPin}, ca);
  recordFindings(careful, m_data.visit1, 1);
  auto report = runUntilDone(careful);
  ASSERT_TRUE(report.isOk()) << report.status().toString();
  EXPECT_EQ(report->accepted, 1u);
}

TEST_F(InterceptionTest, AProxyWithACertificateTheTabletTrustsIsStoppedByThePins) {
  // The tablet trusts the facility proxy's CA too (installed on the device by someone else);
  // only the pins tell the proxy from the server.
  const std::string both = pki().file("both-ca.pem");
  SuiteTablet tablet =
      enrolled("tablet", m_data.codeA, {pki().pin("server"), kUnknownPin}, both);
  recordFindings(tablet, m_data.visit1, 4);

  replaceServerWith("rogue");  // the proxy answers at the server's address
  expectStoppedBeforeAnyRequest(tablet, net::NetError::kPinMismatch);

  // The real server again: everything recorded meanwhile goes through.
  replaceServerWith("server");
  auto report = runUntilDone(tablet);
  ASSERT_TRUE(report.isOk()) << report.status().toString();
  EXPECT_EQ(report->accepted, 4u);
  EXPECT_EQ(*storage::Outbox(*tablet.store).pendingCount(), 0);
}

TEST_F(InterceptionTest, ACertificateForAnotherHostFailsWithTlsEvenWhenItsKeyIsPinned) {
  const std::string ca = pki().file("ca.pem");
  // The other certificate's key is even among the pins: the host name must still fit.
  SuiteTablet tablet =
      enrolled("tablet", m_data.codeA, {pki().pin("server"), pki().pin("other")}, ca);
  recordFindings(tablet, m_data.visit1, 2);

  replaceServerWith("other");
  expectStoppedBeforeAnyRequest(tablet, net::NetError::kTls);
}

}  // namespace
}  // namespace opcat::testing
