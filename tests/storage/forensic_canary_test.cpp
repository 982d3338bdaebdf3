// The forensic canary test: what a seized tablet's storage would show. Records, history, outbox,
// secrets, a sealed identity and an attachment all carry unique canary strings; then every byte
// of every file under the data folder (database, WAL, SHM, attachments, SQLite temp files) is
// scanned for each canary, with the store open and after it is closed: 0 hits.
#include <gtest/gtest.h>
#include <sodium.h>

#include <cstdlib>

#include "core/uuid.h"
#include "crypto/sealed_box.h"
#include "storage/attachment_store.h"
#include "storage/data_folder.h"
#include "storage/identity_sealer.h"
#include "storage/repositories.h"
#include "store_fixture.h"
#include "support/sample_records.h"

namespace opcat::testing {
namespace {

std::string utf16le(const std::string& ascii) {
  std::string out;
  for (char c : ascii) {
    out.push_back(c);
    out.push_back('\0');
  }
  return out;
}

class ForensicCanaryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // SQLite would put any temp file here; it is inside the scanned tree.
    std::filesystem::create_directories(m_root.path() / "tmp");
    setenv("SQLITE_TMPDIR", (m_root.path() / "tmp").c_str(), 1);
  }
  void TearDown() override { unsetenv("SQLITE_TMPDIR"); }

  // Hits of every canary in every file under the root, as "canary in file" lines.
  std::vector<std::string> scan() {
    std::vector<std::string> hits;
    for (const auto& [path, bytes] : readAllFiles(m_root.path())) {
      for (const std::string& canary : m_canaries) {
        for (const std::string& form : {canary, utf16le(canary)}) {
          if (bytes.find(form) != std::string::npos) {
            hits.push_back("'" + canary + "' in " + path.string());
          }
        }
      }
    }
    return hits;
  }

  std::string canary(const std::string& label) {
    m_canaries.push_back("CANARY-" + label + "-" + newUuid().substr(0, 8));
    return m_canaries.back();
  }

  TempDir m_root;
  std::vector<std::string> m_canaries;
};

TEST_F(ForensicCanaryTest, NothingReadableIsLeftOnDisk) {
  const std::string passphrase = canary("PASSPHRASE");
  m_canaries.push_back("КАНАРЕЙКА-находка");  // Cyrillic text must not leak either
  const auto dir = m_root.path() / "tablet";
  auto opened = storage::TabletStore::create(dir, passphrase, fastStoreOptions());
  ASSERT_TRUE(opened.isOk()) << opened.status().toString();
  auto& store = **opened;

  const auto visit = sampleVisit();
  ASSERT_TRUE(storage::VisitRepository(store).save(visit, "m").isOk());

  auto finding = sampleFinding(visit.id);
  finding.title = canary("FINDING-TITLE");
  finding.description = "Описание: КАНАРЕЙКА-находка, " + canary("FINDING-DESC");
  storage::FindingRepository findings(store);
  ASSERT_TRUE(findings.save(finding, "m").isOk());
  finding.title = canary("EDITED-TITLE");  // the old title lives on only in history
  ASSERT_TRUE(findings.save(finding, "m").isOk());

  auto gone = sampleFinding(visit.id);
  gone.description = canary("DELETED-FINDING");
  ASSERT_TRUE(findings.save(gone, "m").isOk());
  ASSERT_TRUE(findings.remove(gone.id, "m").isOk());

  auto interview = sampleInterview(visit.id);
  interview.notes = canary("INTERVIEW-NOTES");
  ASSERT_TRUE(storage::InterviewRepository(store).save(interview, "m").isOk());

  const auto office = crypto::OfficeKeyPair::generate();
  domain::IdentityDetails identity;
  identity.fullName = canary("IDENTITY-NAME");
  identity.identityDocument = canary("IDENTITY-DOC");
  ASSERT_TRUE(storage::captureIdentity(store, identity, interview.id, office.publicKey, "m",
                                       kSampleTimeMs)
                  .isOk());

  ASSERT_TRUE(store.putSecret("device_token", canary("DEVICE-TOKEN")).isOk());

  // A "photo": a JPEG header, a canary comment and pixel bytes that are unique to this run.
  std::string photo = "\xFF\xD8\xFF\xE0 JFIF " + canary("PHOTO-COMMENT");
  std::string pixels(48, '\0');
  randombytes_buf(pixels.data(), pixels.size());
  photo += pixels + std::string(200'000, '\x7F');
  m_canaries.push_back(pixels);
  storage::AttachmentStore attachments(store);
  auto attached = attachments.addBytes(
      sampleAttachmentMeta(visit.id, finding.id),
      std::span(reinterpret_cast<const std::uint8_t*>(photo.data()), photo.size()), "m");
  ASSERT_TRUE(attached.isOk()) << attached.status().toString();

  // A sorted, filtered list exercises SQLite's sorter, which may spill to temp storage.
  ASSERT_TRUE(findings.byArea(visit.id).isOk());

  EXPECT_TRUE(std::filesystem::exists(storage::DataFolder::database(dir).string() + "-wal"));
  std::vector<std::string> hits = scan();
  EXPECT_TRUE(hits.empty()) << "while open:\n" << ::testing::PrintToString(hits);

  opened.value().reset();
  hits = scan();
  EXPECT_TRUE(hits.empty()) << "after close:\n" << ::testing::PrintToString(hits);
  // Control: ids are in the clear by design, so the scan must find them; a scan that cannot
  // see the database's bytes would pass vacuously.
  m_canaries = {finding.id, visit.id};
  EXPECT_EQ(scan().size(), 2u) << "the scan must see the database's bytes";
}

}  // namespace
}  // namespace opcat::testing
