// Captures an interviewee's real identity without the tablet ever being able to read it back:
// the details are sealed to the office's public key at once, and only that ciphertext is stored
// (and then sealed again, like every record).
#pragma once

#include <cstdint>
#include <string_view>

#include "core/status.h"
#include "crypto/sealed_box.h"
#include "domain/interview.h"
#include "storage/tablet_store.h"

namespace opcat::storage {

// Validates `details`, seals them to `office`, wipes the plaintext encoding from memory, and
// saves a new IdentityRecord for `interviewId` with its outbox entry.
Result<domain::IdentityRecord> captureIdentity(TabletStore& store,
                                               const domain::IdentityDetails& details,
                                               std::string_view interviewId,
                                               const crypto::OfficePublicKey& office,
                                               std::string_view authorId,
                                               std::int64_t capturedAtMs);

}  // namespace opcat::storage
