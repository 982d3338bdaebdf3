#include "service/enrollment_service.h"

#include <sodium.h>

#include <cctype>

#include "core/utf8.h"
#include "core/uuid.h"
#include "crypto/sealed_box.h"
#include "service/audit_log.h"
#include "service/device_auth.h"

namespace opcat::server {
namespace {

constexpr char kAlphabet[] = "23456789ABCDEFGHJKMNPQRSTVWXYZ";  // 30 symbols, Crockford-like
constexpr std::size_t kCodeSymbols = 10;                       // ~49 bits; rate-limited, expiring

}  // namespace

std::string normaliseEnrollmentCode(std::string_view typed) {
  std::string out;
  for (char c : typed) {
    if (c == '-' || c == ' ') continue;
    out.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
  }
  return out;
}

Result<std::string> EnrollmentService::issueCode(std::string_view monitorId,
                                                 std::int64_t lifetimeMs,
                                                 std::string_view actor) {
  std::string code;
  for (std::size_t i = 0; i < kCodeSymbols; ++i) {
    code.push_back(kAlphabet[randombytes_uniform(sizeof(kAlphabet) - 1)]);
  }
  const std::int64_t now = m_nowMs();
  const Status written = m_store.write([&](db::StoreSession& session) -> Status {
    auto monitor = session.loadRecord(monitorId);
    if (!monitor) return monitor.status();
    if (!*monitor || (*monitor)->kind != domain::RecordKind::kMonitor || (*monitor)->deleted) {
      return Status::error(StatusCode::kNotFound,
                           "no monitor with id '" + std::string(monitorId) + "'");
    }
    OPCAT_RETURN_IF_ERROR(session.saveEnrollmentCode(
        secretHash(code), db::EnrollmentCode{std::string(monitorId), now + lifetimeMs, 0}));
    return appendAudit(session, now, actor, "enrollment_code.issued",
                       "monitor=" + std::string(monitorId));
  });
  if (!written.isOk()) return written;
  return code.substr(0, 5) + "-" + code.substr(5);
}

std::variant<EnrollResult, EnrollFailure> EnrollmentService::enroll(
    std::string_view typedCode, std::string_view proposedDeviceId, std::string_view deviceName,
    std::string_view remoteAddress) {
  const std::int64_t now = m_nowMs();
  if (!m_attempts.allow(remoteAddress, now)) {
    return EnrollFailure{ProblemCode::kRateLimited, "too many enrollment attempts; wait a minute"};
  }
  if (!proposedDeviceId.empty() && !isUuid(proposedDeviceId)) {
    return EnrollFailure{ProblemCode::kMalformedRequest, "device_id is not a UUID"};
  }
  if (deviceName.size() > 200 || !isValidUtf8(deviceName)) {
    return EnrollFailure{ProblemCode::kMalformedRequest,
                         "device_name must be valid UTF-8, at most 200 bytes"};
  }
  const std::string code = normaliseEnrollmentCode(typedCode);
  const std::string codeHash = secretHash(code);

  EnrollResult result;
  EnrollFailure failure;
  bool refused = false;
  const Status written = m_store.write([&](db::StoreSession& session) -> Status {
    auto refuse = [&](ProblemCode problem, std::string detail, std::string auditDetail) {
      refused = true;
      failure = EnrollFailure{problem, std::move(detail)};
      return appendAudit(session, now, "-", "enroll.refused",
                         std::move(auditDetail) + " from=" + std::string(remoteAddress));
    };
    auto found = session.findEnrollmentCode(codeHash);
    if (!found) return found.status();
    // One answer for unknown, used and expired codes: a guesser learns nothing.
    if (!*found || (*found)->usedAtMs != 0 || (*found)->expiresAtMs <= now) {
      const char* why = !*found ? "unknown code" : (*found)->usedAtMs != 0 ? "code already used"
                                                                          : "code expired";
      return refuse(ProblemCode::kEnrollmentRefused,
                    "the enrollment code is not valid; ask the office for a new one", why);
    }
    const std::string deviceId = proposedDeviceId.empty() ? newUuid() : std::string(proposedDeviceId);
    auto taken = session.findDevice(deviceId);
    if (!taken) return taken.status();
    if (*taken) {
      return refuse(ProblemCode::kDeviceIdTaken,
                    "this tablet's id is already enrolled; revoke the old enrollment first",
                    "device id taken: " + deviceId);
    }
    auto key = session.setting("office_public_key");
    auto keyId = session.setting("office_key_id");
    if (!key) return key.status();
    if (!keyId) return keyId.status();
    if (!*key || !*keyId) {
      refused = true;
      failure = EnrollFailure{ProblemCode::kNotConfigured,
                              "the office has not set its public key yet (opcat-server admin "
                              "office-key)"};
      return Status::ok();
    }
    result.deviceId = deviceId;
    result.deviceToken = newDeviceToken();
    result.monitorId = (*found)->monitorId;
    result.officePublicKey = **key;
    result.officeKeyId = **keyId;
    result.serverTimeMs = now;
    OPCAT_RETURN_IF_ERROR(session.burnEnrollmentCode(codeHash, now));
    OPCAT_RETURN_IF_ERROR(session.saveDevice(
        db::Device{deviceId, result.monitorId, std::string(deviceName), now, 0, now},
        secretHash(result.deviceToken)));
    return appendAudit(session, now, deviceId, "device.enrolled",
                       "monitor=" + result.monitorId + " from=" + std::string(remoteAddress));
  });
  if (!written.isOk()) return EnrollFailure{ProblemCode::kInternalError, {}};
  if (refused) return failure;
  return result;
}

Status EnrollmentService::revoke(std::string_view deviceId, std::string_view actor) {
  const std::int64_t now = m_nowMs();
  return m_store.write([&](db::StoreSession& session) -> Status {
    auto device = session.findDevice(deviceId);
    if (!device) return device.status();
    if (!*device) {
      return Status::error(StatusCode::kNotFound, "no device '" + std::string(deviceId) + "'");
    }
    OPCAT_RETURN_IF_ERROR(session.revokeDevice(deviceId, now));
    return appendAudit(session, now, actor, "device.revoked", "device=" + std::string(deviceId));
  });
}

}  // namespace opcat::server
