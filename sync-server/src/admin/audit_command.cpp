#include "admin/audit_command.h"

#include <ostream>

#include "service/audit_log.h"

namespace opcat::server::admin {
namespace {

int runAuditVerify(AdminContext& context, const AdminArgs&) {
  db::ServerStore* store = context.store();
  if (store == nullptr) return context.openFailureExit();
  AuditVerification verification;
  const Status read = store->read([&](db::StoreSession& session) -> Status {
    auto verified = verifyAudit(session);
    if (!verified) return verified.status();
    verification = std::move(verified).value();
    return Status::ok();
  });
  if (!read) return context.refuse(read.message());
  if (verification.firstBadSeq != 0) {
    return context.refuse("audit log broken: " + verification.problem + " (entries 1 to " +
                          std::to_string(verification.firstBadSeq - 1) + " are intact)");
  }
  context.out() << "audit log intact: " << verification.entries << " entries\n";
  return kExitOk;
}

}  // namespace

AdminCommand auditVerifyCommand() {
  return AdminCommand{"audit-verify", "", "check the audit log's hash chain", "", {}, false,
                      &runAuditVerify};
}

}  // namespace opcat::server::admin
