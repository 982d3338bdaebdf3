// Identities are sealed to the office's key at capture; the tablet can never read them back.
#include <gtest/gtest.h>

#include "core/uuid.h"
#include "crypto/sealed_box.h"
#include "storage/identity_sealer.h"
#include "storage/outbox.h"
#include "storage/repositories.h"
#include "store_fixture.h"
#include "support/sample_records.h"
#include "sync/codec/record_codec.h"

namespace opcat::testing {
namespace {

TEST_F(StoreTest, ACapturedIdentityIsOnlyCiphertextOnTheTablet) {
  const auto office = crypto::OfficeKeyPair::generate();
  const auto interview = sampleInterview(newUuid());
  ASSERT_TRUE(storage::InterviewRepository(store()).save(interview, "m").isOk());
  domain::IdentityDetails details;
  details.fullName = "Серикбаев Нурлан Асанович";
  details.dateOfBirth = "1991-04-12";
  details.contact = "+7 701 000 00 00";

  auto captured = storage::captureIdentity(store(), details, interview.id, office.publicKey,
                                           "monitor-a", kSampleTimeMs);
  ASSERT_TRUE(captured.isOk()) << captured.status().toString();
  EXPECT_EQ(captured->officeKeyId, office.publicKey.id());

  auto stored = storage::IdentityRecordRepository(store()).find(captured->id);
  ASSERT_TRUE(stored.isOk() && stored->has_value());
  const std::string& sealed = (*stored)->sealedDetails;
  EXPECT_EQ(sealed.find("Серикбаев"), std::string::npos);
  EXPECT_EQ(sealed.find("1991-04-12"), std::string::npos);

  // The tablet holds no office secret key; any key it could make does not open the box.
  const auto tabletGuess = crypto::OfficeKeyPair::generate();
  auto guessed = crypto::openSealed(sealed, tabletGuess);
  ASSERT_FALSE(guessed.isOk());
  EXPECT_EQ(guessed.status().code(), StatusCode::kTampered);

  // The office opens it.
  auto opened = crypto::openSealed(sealed, office);
  ASSERT_TRUE(opened.isOk());
  auto decoded = codec::decode<domain::IdentityDetails>(*opened);
  ASSERT_TRUE(decoded.isOk());
  EXPECT_EQ(*decoded, details);

  // Sealed identities are append-only: they sync, and are never edited on the tablet.
  EXPECT_EQ(*storage::Outbox(store()).pendingCount(), 2);
  EXPECT_EQ(storage::IdentityRecordRepository(store()).remove(captured->id, "m").code(),
            StatusCode::kInvalidArgument);
}

TEST_F(StoreTest, InvalidIdentityDetailsAreRefusedBeforeSealing) {
  const auto office = crypto::OfficeKeyPair::generate();
  domain::IdentityDetails details;
  details.fullName = "\xC0\xAF";
  auto captured = storage::captureIdentity(store(), details, newUuid(), office.publicKey, "m",
                                           kSampleTimeMs);
  ASSERT_FALSE(captured.isOk());
  EXPECT_EQ(captured.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(captured.status().message().find("full_name"), std::string::npos)
      << captured.status().message();
  EXPECT_EQ(*storage::Outbox(store()).pendingCount(), 0);
}

}  // namespace
}  // namespace opcat::testing
