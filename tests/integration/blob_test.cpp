// Resumable attachment transfer against the real server on 127.0.0.1 (SYNC.md rule 6): uploads
// in parts cut at random offsets and over dropped connections, wrong offsets, digest checks,
// resumed downloads, access control, concurrent uploads of one blob, and kill -9 mid-upload.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <chrono>
#include <fstream>
#include <random>
#include <span>
#include <thread>
#include <vector>

#include "core/uuid.h"
#include "crypto/attachment_stream.h"
#include "seeded_server.h"
#include "support/change_builder.h"
#include "support/http_client.h"
#include "support/raw_connection.h"
#include "support/sample_records.h"
#include "support/server_process.h"
#include "support/sync_client.h"
#include "support/temp_dir.h"

namespace opcat::testing {
namespace {

using namespace std::chrono_literals;

constexpr std::uint64_t kMaxBlobBytes = 256ull * 1024 * 1024;  // the server's default

std::string randomBytes(std::size_t size, std::uint64_t seed) {
  std::mt19937_64 random(seed);
  std::string bytes(size, '\0');
  for (char& c : bytes) c = static_cast<char>(random() & 0xff);
  return bytes;
}

crypto::Sha256Digest digestOf(const std::string& bytes) {
  return crypto::sha256(
      std::span(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size()));
}

std::string hexOf(const std::string& bytes) { return crypto::toHex(digestOf(bytes)); }

std::uint64_t offsetOf(const HttpResponse& response) {
  const auto value = response.header("Upload-Offset");
  return value ? std::stoull(*value) : ~0ull;
}

int problemCode(const std::string& body) {
  v1::Problem p;
  return p.ParseFromString(body) ? p.code() : -1;
}

std::string contentRange(std::uint64_t start, std::size_t length, std::uint64_t total) {
  return "bytes " + std::to_string(start) + "-" + std::to_string(start + length - 1) + "/" +
         std::to_string(total);
}

class BlobTest : public ::testing::Test {
 protected:
  void SetUp() override {
    m_data = seedServerData(m_temp.path() / "server");
    ServerProcess::Options options;
    options.dataDir = m_temp.path() / "server";
    m_server = std::make_unique<ServerProcess>(options);
    m_a = enroll(m_data.codeA);
    m_b = enroll(m_data.codeB);
    m_finding = sampleFinding(m_data.visit1);
    long status = 0;
    auto pushed = m_a.client->push({m_a.changes->create(m_finding)}, &status);
    ASSERT_TRUE(pushed) << status;
  }

  void TearDown() override {
    // Whatever a test did, the server is still up and answering.
    if (m_server && m_server->pid() > 0) {
      HttpClient http;
      EXPECT_EQ(http.get(m_server->url() + "/healthz").status, 200);
    }
    // The log names the route, never a blob: a digest would tell who holds a photo that it
    // was uploaded.
    if (m_server) {
      const std::string log = m_server->stderrText();
      EXPECT_NE(log.find("/v1/blobs/{sha256}"), std::string::npos);
      for (const std::string& sha : m_shas) EXPECT_EQ(log.find(sha), std::string::npos);
    }
  }

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

  // A pushes the Attachment record of `bytes` in visit1, as the tablet does before uploading;
  // returns the blob's name.
  std::string pushAttachment(const std::string& bytes) {
    auto attachment = sampleAttachmentMeta(m_data.visit1, m_finding.id);
    const auto digest = digestOf(bytes);
    attachment.sha256.assign(digest.begin(), digest.end());
    attachment.sizeBytes = static_cast<std::int64_t>(bytes.size());
    long status = 0;
    auto pushed = m_a.client->push({m_a.changes->create(attachment)}, &status);
    EXPECT_TRUE(pushed) << status;
    if (pushed) {
      EXPECT_EQ(pushed->results(0).outcome(), v1::ChangeResult::OUTCOME_ACCEPTED)
          << pushed->results(0).reason();
    }
    m_shas.push_back(crypto::toHex(digest));
    return m_shas.back();
  }

  std::string url(const std::string& sha) const { return m_server->url() + "/v1/blobs/" + sha; }

  HttpResponse call(HttpClient& http, const Tablet* who, std::string_view method,
                    const std::string& sha, const std::string& body = {},
                    HttpHeaders headers = {}) {
    if (who != nullptr) headers.emplace_back("Authorization", "Bearer " + who->client->token());
    return http.request(method, url(sha), body, headers);
  }
  HttpResponse putPart(HttpClient& http, const Tablet& who, const std::string& sha,
                       const std::string& blob, std::uint64_t start, std::size_t length) {
    return call(http, &who, "PUT", sha, blob.substr(start, length),
                {{"Content-Range", contentRange(start, length, blob.size())},
                 {"Content-Type", "application/octet-stream"}});
  }
  // The offset HEAD reports for A (0 for 404).
  std::uint64_t headOffset(const std::string& sha) {
    HttpClient http;
    const HttpResponse head = call(http, &m_a, "HEAD", sha);
    if (head.status == 404) return 0;
    EXPECT_EQ(head.status, 200);
    return offsetOf(head);
  }
  // Sends a PUT of blob[start, start+length) over a raw socket, with only `sent` body bytes, and
  // closes without reading the reply: a connection cut mid-part (sent < length) or a lost reply.
  void rawPart(const std::string& sha, const std::string& blob, std::uint64_t start,
               std::size_t length, std::size_t sent) {
    RawConnection raw(m_server->port());
    std::string request = "PUT /v1/blobs/" + sha + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" +
                          "Authorization: Bearer " + m_a.client->token() + "\r\n" +
                          "Content-Range: " + contentRange(start, length, blob.size()) + "\r\n" +
                          "Content-Length: " + std::to_string(length) + "\r\n\r\n";
    request += blob.substr(start, sent);
    raw.send(request);
  }

  TempDir m_temp;
  SeededData m_data;
  std::unique_ptr<ServerProcess> m_server;
  Tablet m_a, m_b;
  domain::Finding m_finding;
  std::vector<std::string> m_shas;  // every blob a test named
};

TEST_F(BlobTest, UploadsResumeAfterPartsCutAtRandomOffsetsAndDroppedConnections) {
  for (std::uint64_t seed = 1; seed <= 10; ++seed) {
    SCOPED_TRACE("seed " + std::to_string(seed));
    std::mt19937_64 random(seed);
    const std::string photo = randomBytes(1'400'000 + random() % 200'000, seed);
    const std::string sha = pushAttachment(photo);
    HttpClient http;
    EXPECT_EQ(call(http, &m_a, "HEAD", sha).status, 404);
    EXPECT_EQ(call(http, &m_a, "GET", sha).status, 404);

    std::uint64_t acked = 0;
    int parts = 0, cuts = 0, lostReplies = 0, wrongStarts = 0;
    while (acked < photo.size()) {
      ASSERT_LT(parts + cuts + lostReplies + wrongStarts, 400) << "no progress";
      const std::size_t length =
          std::min<std::size_t>(photo.size() - acked, 1 + random() % (300 * 1024));
      switch (random() % 8) {
        case 0: {  // the connection drops mid-part: nothing of it is applied
          rawPart(sha, photo, acked, length, length / 2);
          ++cuts;
          ASSERT_EQ(headOffset(sha), acked);
          continue;
        }
        case 1: {  // the part arrives but its reply is lost: HEAD tells where to go on
          rawPart(sha, photo, acked, length, length);
          ++lostReplies;
          const auto deadline = std::chrono::steady_clock::now() + 5s;
          while (headOffset(sha) != acked + length && std::chrono::steady_clock::now() < deadline) {
            std::this_thread::sleep_for(5ms);
          }
          if (acked + length == photo.size()) {
            const HttpResponse head = call(http, &m_a, "HEAD", sha);
            EXPECT_EQ(head.header("Upload-Complete").value_or(""), "?1");
          }
          ASSERT_EQ(headOffset(sha), acked + length);
          acked += length;
          continue;
        }
        case 2: {  // a wrong start: 416 and the offset to resume from
          const std::uint64_t wrong =
              acked > 0 && random() % 2 == 0 ? random() % acked : acked + 1 + random() % 1000;
          const std::size_t fits = std::min<std::size_t>(length, photo.size() - wrong);
          if (wrong >= photo.size() || fits == 0) continue;
          const HttpResponse refused = putPart(http, m_a, sha, photo, wrong, fits);
          ASSERT_EQ(refused.status, 416);
          EXPECT_EQ(problemCode(refused.body), 1018);
          EXPECT_EQ(offsetOf(refused), acked);
          ++wrongStarts;
          continue;
        }
        default:
          break;
      }
      const HttpResponse reply = putPart(http, m_a, sha, photo, acked, length);
      const bool last = acked + length == photo.size();
      ASSERT_EQ(reply.status, last ? 201 : 204) << reply.error;
      ASSERT_EQ(offsetOf(reply), acked + length);
      EXPECT_EQ(reply.header("Upload-Complete").value_or(""), last ? "?1" : "?0");
      acked += length;
      ++parts;
    }
    EXPECT_GT(cuts + lostReplies + wrongStarts, 0);

    const HttpResponse head = call(http, &m_a, "HEAD", sha);
    EXPECT_EQ(head.status, 200);
    EXPECT_EQ(offsetOf(head), photo.size());
    EXPECT_EQ(head.header("Upload-Complete").value_or(""), "?1");
    const HttpResponse got = call(http, &m_a, "GET", sha);
    ASSERT_EQ(got.status, 200);
    EXPECT_EQ(got.header("Content-Type").value_or(""), "application/octet-stream");
    EXPECT_TRUE(got.body == photo) << "downloaded bytes differ";

    // Sending a part again after completion writes nothing and reports the size.
    const HttpResponse again = putPart(http, m_a, sha, photo, 0, 1000);
    EXPECT_EQ(again.status, 200);
    EXPECT_EQ(offsetOf(again), photo.size());
  }
  // No partial upload is left behind.
  EXPECT_TRUE(std::filesystem::is_empty(m_server->dataDir() / "blobs" / "partial"));
}

TEST_F(BlobTest, AWrongStartIsRefusedWithTheOffsetToResumeFrom) {
  const std::string photo = randomBytes(100'000, 42);
  const std::string sha = pushAttachment(photo);
  HttpClient http;
  const HttpResponse early = putPart(http, m_a, sha, photo, 10, 100);
  EXPECT_EQ(early.status, 416);
  EXPECT_EQ(offsetOf(early), 0u);
  EXPECT_EQ(call(http, &m_a, "HEAD", sha).status, 404);
  ASSERT_EQ(putPart(http, m_a, sha, photo, 0, 30'000).status, 204);
  for (const std::uint64_t wrong : {0ull, 29'999ull, 30'001ull, 60'000ull}) {
    const HttpResponse refused = putPart(http, m_a, sha, photo, wrong, 1000);
    EXPECT_EQ(refused.status, 416) << wrong;
    EXPECT_EQ(problemCode(refused.body), 1018);
    EXPECT_EQ(offsetOf(refused), 30'000u);
  }
  EXPECT_EQ(headOffset(sha), 30'000u);
}

TEST_F(BlobTest, DownloadsResumeWithARange) {
  const std::string photo = randomBytes(1'500'000, 7);
  const std::string sha = pushAttachment(photo);
  HttpClient http;
  ASSERT_EQ(putPart(http, m_a, sha, photo, 0, photo.size()).status, 201);

  std::mt19937_64 random(7);
  for (int i = 0; i < 5; ++i) {
    const std::uint64_t from = random() % photo.size();
    const HttpResponse rest =
        call(http, &m_a, "GET", sha, {}, {{"Range", "bytes=" + std::to_string(from) + "-"}});
    ASSERT_EQ(rest.status, 206);
    EXPECT_EQ(rest.header("Content-Range").value_or(""), "bytes " + std::to_string(from) + "-" +
                                                             std::to_string(photo.size() - 1) +
                                                             "/" + std::to_string(photo.size()));
    EXPECT_TRUE(photo.substr(0, from) + rest.body == photo) << "resumed download differs";
  }
  const HttpResponse middle = call(http, &m_a, "GET", sha, {}, {{"Range", "bytes=100-199"}});
  EXPECT_EQ(middle.status, 206);
  EXPECT_TRUE(middle.body == photo.substr(100, 100));
  const HttpResponse past =
      call(http, &m_a, "GET", sha, {}, {{"Range", "bytes=" + std::to_string(photo.size()) + "-"}});
  EXPECT_EQ(past.status, 416);
  EXPECT_EQ(past.header("Content-Range").value_or(""), "bytes */" + std::to_string(photo.size()));
  // A range form the server does not serve is ignored: the whole blob comes.
  const HttpResponse several = call(http, &m_a, "GET", sha, {}, {{"Range", "bytes=0-1,5-9"}});
  EXPECT_EQ(several.status, 200);
  EXPECT_EQ(several.body.size(), photo.size());
}

TEST_F(BlobTest, AnotherTeamsDeviceLearnsNothing) {
  const std::string photo = randomBytes(50'000, 3);
  const std::string sha = pushAttachment(photo);
  HttpClient http;
  ASSERT_EQ(putPart(http, m_a, sha, photo, 0, 20'000).status, 204);
  const std::string complete = randomBytes(10'000, 4);
  const std::string completeSha = pushAttachment(complete);
  ASSERT_EQ(putPart(http, m_a, completeSha, complete, 0, complete.size()).status, 201);
  const std::string unknownSha = hexOf("never pushed");

  std::string firstBody;
  for (const std::string& target : {sha, completeSha, unknownSha}) {
    const HttpResponse head = call(http, &m_b, "HEAD", target);
    EXPECT_EQ(head.status, 403);
    EXPECT_TRUE(head.body.empty());
    EXPECT_FALSE(head.header("Upload-Offset"));
    const HttpResponse get = call(http, &m_b, "GET", target);
    EXPECT_EQ(get.status, 403);
    EXPECT_EQ(problemCode(get.body), 1403);
    const std::string part = target == sha ? photo.substr(20'000, 100) : std::string(100, 'x');
    const HttpResponse put = call(http, &m_b, "PUT", target, part,
                                  {{"Content-Range", contentRange(20'000, 100, 50'000)}});
    EXPECT_EQ(put.status, 403);
    EXPECT_FALSE(put.header("Upload-Offset"));
    // The same answer whether the blob is partial, complete or unknown.
    if (firstBody.empty()) firstBody = get.body;
    EXPECT_EQ(get.body, firstBody);
    EXPECT_EQ(put.body, firstBody);
  }
  EXPECT_EQ(firstBody.find(sha), std::string::npos);
  EXPECT_EQ(headOffset(sha), 20'000u);  // B's PUT changed nothing
}

TEST_F(BlobTest, EveryCallNeedsAValidDeviceToken) {
  const std::string photo = randomBytes(1000, 5);
  const std::string sha = pushAttachment(photo);
  HttpClient http;
  const HttpHeaders range = {{"Content-Range", contentRange(0, photo.size(), photo.size())}};
  for (const HttpHeaders& auth : {HttpHeaders{}, HttpHeaders{{"Authorization", "Bearer nope"}},
                                  HttpHeaders{{"Authorization", "Basic eDp5"}}}) {
    HttpHeaders withRange = auth;
    withRange.insert(withRange.end(), range.begin(), range.end());
    EXPECT_EQ(call(http, nullptr, "HEAD", sha, {}, auth).status, 401);
    EXPECT_EQ(call(http, nullptr, "GET", sha, {}, auth).status, 401);
    const HttpResponse put = call(http, nullptr, "PUT", sha, photo, withRange);
    EXPECT_EQ(put.status, 401);
    EXPECT_EQ(problemCode(put.body), 1401);
  }
  EXPECT_EQ(call(http, &m_a, "HEAD", sha).status, 404);  // nothing was written
}

TEST_F(BlobTest, ABlobThatDoesNotMatchItsNameNeverBecomesVisible) {
  const std::string photo = randomBytes(300'000, 11);
  const std::string sha = pushAttachment(photo);
  std::string forged = photo;
  forged[123'456] = static_cast<char>(forged[123'456] ^ 1);
  HttpClient http;
  ASSERT_EQ(putPart(http, m_a, sha, forged, 0, 200'000).status, 204);
  const HttpResponse last = putPart(http, m_a, sha, forged, 200'000, 100'000);
  EXPECT_EQ(last.status, 422);
  EXPECT_EQ(problemCode(last.body), 1019);
  EXPECT_EQ(offsetOf(last), 0u);
  EXPECT_EQ(call(http, &m_a, "HEAD", sha).status, 404);
  EXPECT_EQ(call(http, &m_a, "GET", sha).status, 404);
  EXPECT_FALSE(std::filesystem::exists(m_server->dataDir() / "blobs" / sha.substr(0, 2) / sha));
  EXPECT_TRUE(std::filesystem::is_empty(m_server->dataDir() / "blobs" / "partial"));

  // The genuine bytes go through afterwards.
  EXPECT_EQ(putPart(http, m_a, sha, photo, 0, photo.size()).status, 201);
  EXPECT_TRUE(call(http, &m_a, "GET", sha).body == photo);
}

TEST_F(BlobTest, MalformedNamesRangesAndSizesAreRefused) {
  const std::string photo = randomBytes(2000, 13);
  const std::string sha = pushAttachment(photo);
  HttpClient http;
  std::string upper = sha;
  std::transform(upper.begin(), upper.end(), upper.begin(), [](char c) {
    return static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  });
  for (const std::string& name : {upper, sha.substr(1), sha + "0", std::string(64, 'g')}) {
    EXPECT_EQ(call(http, &m_a, "GET", name).status, 400) << name;
    EXPECT_EQ(call(http, &m_a, "HEAD", name).status, 400) << name;
    EXPECT_EQ(call(http, &m_a, "PUT", name, "abc", {{"Content-Range", "bytes 0-2/3"}}).status, 400);
  }

  const auto put = [&](const std::string& body, const std::string& range) {
    HttpHeaders headers;
    if (!range.empty()) headers.emplace_back("Content-Range", range);
    return call(http, &m_a, "PUT", sha, body, headers);
  };
  const std::string part = photo.substr(0, 100);
  for (const std::string& range :
       {std::string(), std::string("bytes 0-99/*"), std::string("bytes 0-99"),
        std::string("bytes=0-99/2000"), std::string("bytes 99-0/2000"),
        std::string("bytes 0-99/50"), std::string("bytes 0-98/2000"),
        std::string("bytes -1-98/2000"), std::string("bytes 0-99/99999999999999999999999")}) {
    const HttpResponse refused = put(part, range);
    EXPECT_EQ(refused.status, 400) << range;
    EXPECT_EQ(problemCode(refused.body), 1001) << range;
  }

  const std::string tooLarge = "bytes 0-99/" + std::to_string(kMaxBlobBytes + 1);
  const HttpResponse large = put(part, tooLarge);
  EXPECT_EQ(large.status, 413);
  EXPECT_EQ(problemCode(large.body), 1002);
  EXPECT_EQ(call(http, &m_a, "HEAD", sha).status, 404);

  // The total is fixed by the first part.
  ASSERT_EQ(put(part, "bytes 0-99/2000").status, 204);
  const HttpResponse changed = put(photo.substr(100, 100), "bytes 100-199/3000");
  EXPECT_EQ(changed.status, 400);
  EXPECT_EQ(offsetOf(changed), 100u);
  EXPECT_EQ(put(photo.substr(100), "bytes 100-1999/2000").status, 201);
}

TEST_F(BlobTest, ConcurrentUploadsOfOneBlobDoNotCorruptIt) {
  const std::string photo = randomBytes(1'500'000, 17);
  const std::string sha = pushAttachment(photo);
  std::atomic<int> serverErrors{0}, completed{0};
  const auto uploader = [&](std::uint64_t seed) {
    std::mt19937_64 random(seed);
    HttpClient http;
    std::uint64_t offset = 0;
    for (int round = 0; round < 1000 && offset < photo.size(); ++round) {
      const std::size_t length =
          std::min<std::size_t>(photo.size() - offset, 1 + random() % (64 * 1024));
      const HttpResponse reply = putPart(http, m_a, sha, photo, offset, length);
      if (reply.status >= 500 || reply.status == 0 || reply.status == 422) ++serverErrors;
      if (reply.status == 201) ++completed;
      const std::uint64_t next = offsetOf(reply);
      if (next == ~0ull) return;
      offset = next;  // follow the server, whoever advanced it
    }
  };
  std::thread first(uploader, 1);
  std::thread second(uploader, 2);
  first.join();
  second.join();
  EXPECT_EQ(serverErrors.load(), 0);
  EXPECT_EQ(completed.load(), 1);
  HttpClient http;
  EXPECT_TRUE(call(http, &m_a, "GET", sha).body == photo) << "the blob was corrupted";
}

TEST_F(BlobTest, AKillMidUploadLosesAtMostThePartInFlight) {
  const std::string photo = randomBytes(1'500'000, 23);
  const std::string sha = pushAttachment(photo);
  std::uint64_t acked = 0;
  {
    HttpClient http;
    for (const std::size_t length : {200'000u, 333'333u}) {
      const HttpResponse reply = putPart(http, m_a, sha, photo, acked, length);
      ASSERT_EQ(reply.status, 204);
      acked = offsetOf(reply);
    }
  }
  // kill -9 while a part is half sent: the server never saw it whole.
  {
    RawConnection raw(m_server->port());
    const std::size_t length = 400'000;
    raw.send("PUT /v1/blobs/" + sha + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " +
             m_a.client->token() +
             "\r\nContent-Range: " + contentRange(acked, length, photo.size()) +
             "\r\nContent-Length: " + std::to_string(length) + "\r\n\r\n" +
             photo.substr(acked, length / 2));
    std::this_thread::sleep_for(50ms);
    m_server->kill9();
  }
  m_server->restart();
  EXPECT_EQ(headOffset(sha), acked);  // everything acknowledged survived, nothing more

  // kill -9 right after a whole part went out, reply unread: the part may be applied wholly,
  // partly or not at all, but what is there is the right bytes and the upload completes.
  const std::size_t length = 500'000;
  rawPart(sha, photo, acked, length, length);
  m_server->kill9();
  m_server->restart();
  const std::uint64_t offset = headOffset(sha);
  EXPECT_GE(offset, acked);
  EXPECT_LE(offset, acked + length);

  HttpClient http;
  const HttpResponse rest = putPart(http, m_a, sha, photo, offset, photo.size() - offset);
  EXPECT_EQ(rest.status, 201);
  EXPECT_TRUE(call(http, &m_a, "GET", sha).body == photo) << "the blob differs after the crashes";
}

TEST_F(BlobTest, ACompleteUploadSurvivesARestart) {
  const std::string photo = randomBytes(600'000, 29);
  const std::string sha = pushAttachment(photo);
  {
    HttpClient http;
    ASSERT_EQ(putPart(http, m_a, sha, photo, 0, 300'000).status, 204);
    ASSERT_EQ(putPart(http, m_a, sha, photo, 300'000, 300'000).status, 201);
  }
  m_server->kill9();
  m_server->restart();
  HttpClient http;
  const HttpResponse head = call(http, &m_a, "HEAD", sha);
  EXPECT_EQ(head.status, 200);
  EXPECT_EQ(head.header("Upload-Complete").value_or(""), "?1");
  EXPECT_TRUE(call(http, &m_a, "GET", sha).body == photo);
}

TEST_F(BlobTest, AnUploadCutBetweenItsLastWriteAndItsRenameIsFinishedAfterARestart) {
  const std::string photo = randomBytes(400'000, 31);
  const std::string forged = randomBytes(400'000, 32);
  const std::string sha = pushAttachment(photo);
  const std::string forgedSha = pushAttachment(randomBytes(400'000, 33));  // not `forged`
  {
    HttpClient http;
    ASSERT_EQ(putPart(http, m_a, sha, photo, 0, 100'000).status, 204);
    ASSERT_EQ(putPart(http, m_a, forgedSha, forged, 0, 100'000).status, 204);
  }
  m_server->kill9();
  // What a crash after the last part's fsync but before the rename leaves behind.
  const auto partial = m_server->dataDir() / "blobs" / "partial";
  for (const auto& [name, bytes] : {std::pair{sha, photo}, std::pair{forgedSha, forged}}) {
    std::ofstream part(partial / (name + ".part"), std::ios::binary | std::ios::app);
    part.write(bytes.data() + 100'000, static_cast<std::streamsize>(bytes.size() - 100'000));
  }
  m_server->restart();
  HttpClient http;
  const HttpResponse head = call(http, &m_a, "HEAD", sha);
  EXPECT_EQ(head.status, 200);
  EXPECT_EQ(offsetOf(head), photo.size());
  EXPECT_EQ(head.header("Upload-Complete").value_or(""), "?1");
  EXPECT_TRUE(std::filesystem::exists(m_server->dataDir() / "blobs" / sha.substr(0, 2) / sha));
  EXPECT_TRUE(call(http, &m_a, "GET", sha).body == photo);
  // Bytes that do not match their name are dropped instead.
  EXPECT_EQ(call(http, &m_a, "HEAD", forgedSha).status, 404);
  EXPECT_EQ(call(http, &m_a, "GET", forgedSha).status, 404);
  EXPECT_TRUE(std::filesystem::is_empty(partial));
}

}  // namespace
}  // namespace opcat::testing
