#include "storage/identity_sealer.h"

#include <sodium.h>

#include "core/uuid.h"
#include "domain/validation.h"
#include "storage/repositories.h"
#include "sync/codec/record_codec.h"

namespace opcat::storage {

Result<domain::IdentityRecord> captureIdentity(TabletStore& store,
                                               const domain::IdentityDetails& details,
                                               std::string_view interviewId,
                                               const crypto::OfficePublicKey& office,
                                               std::string_view authorId,
                                               std::int64_t capturedAtMs) {
  OPCAT_RETURN_IF_ERROR(domain::validationStatus(domain::validate(details)));
  std::string plain = codec::encode(details);
  domain::IdentityRecord record;
  record.id = newUuid();
  record.interviewId = std::string(interviewId);
  auto sealed = crypto::sealToOffice(plain, office);
  sodium_memzero(plain.data(), plain.size());
  if (!sealed) return sealed.status();
  record.sealedDetails = std::move(sealed).value();
  record.officeKeyId = office.id();
  record.capturedAtMs = capturedAtMs;
  OPCAT_RETURN_IF_ERROR(IdentityRecordRepository(store).save(record, authorId));
  return record;
}

}  // namespace opcat::storage
