// Enrollment: an administrator issues a one-time, expiring code for a monitor; the monitor's
// tablet trades it once for a device id and a device token. Codes and tokens are stored only as
// hashes; every outcome goes to the audit log.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <variant>

#include "core/status.h"
#include "db/server_store.h"
#include "service/problem_code.h"
#include "service/rate_limiter.h"

namespace opcat::server {

struct EnrollResult {
  std::string deviceId;
  std::string deviceToken;
  std::string monitorId;
  std::string officePublicKey;  // 32 raw bytes
  std::string officeKeyId;
  std::int64_t serverTimeMs = 0;
};

struct EnrollFailure {
  ProblemCode problem = ProblemCode::kEnrollmentRefused;
  std::string detail;
};

class EnrollmentService {
 public:
  using Clock = std::int64_t (*)();
  static constexpr std::int64_t kDefaultCodeLifetimeMs = 24LL * 3600 * 1000;

  EnrollmentService(db::ServerStore& store, Clock nowMs)
      : m_store(store), m_nowMs(nowMs), m_attempts(5, 5) {}

  // Issues a code for `monitorId` (which must be a Monitor record), valid for `lifetimeMs`.
  // The code is returned once, formatted XXXXX-XXXXX; only its hash is kept.
  Result<std::string> issueCode(std::string_view monitorId, std::int64_t lifetimeMs,
                                std::string_view actor);

  // Trades a code for a device. `proposedDeviceId` is the id the tablet's store already uses
  // (empty: the server makes one). Failures carry the problem to answer with.
  std::variant<EnrollResult, EnrollFailure> enroll(std::string_view code,
                                                   std::string_view proposedDeviceId,
                                                   std::string_view deviceName,
                                                   std::string_view remoteAddress);

  // Revokes a device at once; its next request is refused.
  Status revoke(std::string_view deviceId, std::string_view actor);

 private:
  db::ServerStore& m_store;
  Clock m_nowMs;
  RateLimiter m_attempts;  // per remote address
};

// Codes are typed by people: the alphabet leaves out 0/O, 1/I/L and U.
std::string normaliseEnrollmentCode(std::string_view typed);

}  // namespace opcat::server
