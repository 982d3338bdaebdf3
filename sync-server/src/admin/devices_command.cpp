#include "admin/devices_command.h"

#include <charconv>
#include <map>
#include <ostream>

#include "admin/office_records.h"
#include "admin/time_text.h"
#include "core/uuid.h"
#include "domain/people.h"
#include "service/enrollment_service.h"

namespace opcat::server::admin {
namespace {

constexpr int kMaxValidHours = 30 * 24;

int runEnrollCode(AdminContext& context, const AdminArgs& args) {
  const std::string monitorId = *args.value("--monitor");
  if (!isUuid(monitorId)) return context.usageError("--monitor must be a monitor id (a UUID)");
  int hours = 24;
  if (const auto text = args.value("--valid-hours")) {
    const auto [end, error] = std::from_chars(text->data(), text->data() + text->size(), hours);
    if (error != std::errc() || end != text->data() + text->size() || hours < 1 ||
        hours > kMaxValidHours) {
      return context.usageError("--valid-hours must be a whole number from 1 to " +
                                std::to_string(kMaxValidHours));
    }
  }
  db::ServerStore* store = context.store();
  if (store == nullptr) return context.openFailureExit();
  EnrollmentService enrollment(*store, context.clock());
  const std::int64_t lifetimeMs = std::int64_t{hours} * 3600 * 1000;
  const std::int64_t now = context.now();
  auto code = enrollment.issueCode(monitorId, lifetimeMs, kAdminActor);
  if (!code) return context.refuse(code.status().message());
  context.out() << "enrollment code for monitor " << monitorId << ": " << *code << "\n"
                << "valid once, until " << formatAdminTime(now + lifetimeMs) << "\n";
  return kExitOk;
}

int runDevices(AdminContext& context, const AdminArgs&) {
  db::ServerStore* store = context.store();
  if (store == nullptr) return context.openFailureExit();
  std::vector<db::Device> devices;
  std::map<std::string, std::string> monitorNames;
  const Status read = store->read([&](db::StoreSession& session) -> Status {
    auto listed = session.listDevices();
    if (!listed) return listed.status();
    devices = std::move(listed).value();
    for (const db::Device& device : devices) {
      if (monitorNames.contains(device.monitorId)) continue;
      auto monitor = loadLiveRecord<domain::Monitor>(session, device.monitorId);
      if (!monitor) return monitor.status();
      monitorNames[device.monitorId] = *monitor ? (*monitor)->fullName : "(no such monitor)";
    }
    return Status::ok();
  });
  if (!read) return context.refuse(read.message());
  std::ostream& out = context.out();
  int revoked = 0;
  for (const db::Device& device : devices) {
    out << "device " << device.id << (device.revokedAtMs != 0 ? "  REVOKED" : "  active") << "\n"
        << "  monitor:   " << device.monitorId << " (" << monitorNames[device.monitorId] << ")\n"
        << "  name:      " << (device.name.empty() ? "-" : device.name) << "\n"
        << "  enrolled:  " << formatAdminTime(device.enrolledAtMs) << "\n"
        << "  last seen: " << formatAdminTime(device.lastSeenAtMs) << "\n"
        << "  revoked:   " << formatAdminTime(device.revokedAtMs) << "\n";
    if (device.revokedAtMs != 0) ++revoked;
  }
  out << devices.size() << (devices.size() == 1 ? " device" : " devices") << " (" << revoked
      << " revoked)\n";
  return kExitOk;
}

int runRevoke(AdminContext& context, const AdminArgs& args) {
  const std::string deviceId = *args.value("--device");
  if (!isUuid(deviceId)) return context.usageError("--device must be a device id (a UUID)");
  db::ServerStore* store = context.store();
  if (store == nullptr) return context.openFailureExit();
  std::optional<db::Device> device;
  const Status read = store->read([&](db::StoreSession& session) -> Status {
    auto found = session.findDevice(deviceId);
    if (!found) return found.status();
    device = std::move(found).value();
    return Status::ok();
  });
  if (!read) return context.refuse(read.message());
  if (!device) return context.refuse("no device with id '" + deviceId + "'");
  if (device->revokedAtMs != 0) {
    context.out() << "device " << deviceId << " was already revoked at "
                  << formatAdminTime(device->revokedAtMs) << "\n";
    return kExitOk;
  }
  EnrollmentService enrollment(*store, context.clock());
  if (Status revoked = enrollment.revoke(deviceId, kAdminActor); !revoked) {
    return context.refuse(revoked.message());
  }
  context.out() << "device " << deviceId << " revoked; its next request is refused\n";
  return kExitOk;
}

}  // namespace

AdminCommand enrollCodeCommand() {
  return AdminCommand{"enroll-code",
                      "--monitor MONITOR_ID [--valid-hours 24]",
                      "issue a one-time enrollment code for a monitor's tablet",
                      "  --monitor ID        the monitor whose tablet will enroll\n"
                      "  --valid-hours N     hours the code stays valid (1 to 720, default 24)\n"
                      "\n"
                      "The code is shown once; the server keeps only its hash.\n",
                      {{"--monitor", OptionSpec::Kind::kValue, true},
                       {"--valid-hours", OptionSpec::Kind::kValue, false}},
                      false,
                      &runEnrollCode};
}

AdminCommand devicesCommand() {
  return AdminCommand{
      "devices",  "", "list enrolled tablets (monitor, enrolled, last seen, revoked)",
      "",         {}, false,
      &runDevices};
}

AdminCommand revokeCommand() {
  return AdminCommand{"revoke",
                      "--device DEVICE_ID",
                      "revoke a tablet at once (works while the server runs)",
                      "  --device ID   the device to revoke (see `devices`)\n"
                      "\n"
                      "The device's next request is refused; it must enroll again with a new\n"
                      "code.\n",
                      {{"--device", OptionSpec::Kind::kValue, true}},
                      false,
                      &runRevoke};
}

}  // namespace opcat::server::admin
