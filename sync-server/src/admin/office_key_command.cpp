#include "admin/office_key_command.h"

#include <sodium.h>
#include <sys/stat.h>

#include <ostream>
#include <span>

#include "crypto/sealed_box.h"
#include "crypto/secure_file.h"
#include "service/audit_log.h"

namespace opcat::server::admin {
namespace {

constexpr char kPublicKeySetting[] = "office_public_key";
constexpr char kKeyIdSetting[] = "office_key_id";

std::string hex(std::span<const std::uint8_t> bytes) {
  std::string text(bytes.size() * 2 + 1, '\0');
  sodium_bin2hex(text.data(), text.size(), bytes.data(), bytes.size());
  text.pop_back();
  return text;
}

// The file's text; the caller wipes it after writing.
std::string secretKeyFileText(const crypto::OfficeKeyPair& pair) {
  return "# Opcat Field office secret key (X25519). Keep it offline at the office, never on the\n"
         "# server: it opens the identities of interviewees sealed to this key. Keep it after a\n"
         "# rotation too, for the identities sealed before.\n"
         "key-id: " +
         pair.publicKey.id() + "\npublic-key: " + hex(pair.publicKey.bytes) +
         "\nsecret-key: " + hex(pair.secretKey.bytes()) + "\n";
}

bool pathExists(const std::filesystem::path& path) {
  struct stat info {};
  return ::lstat(path.c_str(), &info) == 0;  // a dangling symlink counts
}

int runOfficeKey(AdminContext& context, const AdminArgs& args) {
  const bool show = args.flag("--show");
  const auto out = args.value("--secret-key-out");
  const bool rotate = args.flag("--rotate");
  if (show == out.has_value()) {
    return context.usageError("give either --secret-key-out FILE or --show");
  }
  if (show && rotate) return context.usageError("--rotate goes with --secret-key-out");

  db::ServerStore* store = context.store();
  if (store == nullptr) return context.openFailureExit();
  if (show) {
    std::optional<std::string> keyId;
    const Status read = store->read([&](db::StoreSession& session) -> Status {
      auto id = storedOfficeKeyId(session);
      if (!id) return id.status();
      keyId = *id;
      return Status::ok();
    });
    if (!read) return context.refuse(read.message());
    if (!keyId)
      return context.refuse("the office has no key yet (office-key --secret-key-out FILE)");
    context.out() << "office key id: " << *keyId << "\n";
    return kExitOk;
  }

  auto keyId = createOfficeKey(*store, *out, rotate, context.now());
  if (!keyId) return context.refuse(keyId.status().message());
  context.out() << "office key " << *keyId << (rotate ? " created (rotated)" : " created") << "\n"
                << "secret key written to " << *out << " (mode 0600): move it to offline storage "
                << "at the office and remove it from this machine\n";
  return kExitOk;
}

}  // namespace

Result<std::optional<std::string>> storedOfficeKeyId(db::StoreSession& session) {
  return session.setting(kKeyIdSetting);
}

Result<std::string> createOfficeKey(db::ServerStore& store,
                                    const std::filesystem::path& secretKeyOut, bool rotate,
                                    std::int64_t nowMs) {
  std::optional<std::string> previous;
  OPCAT_RETURN_IF_ERROR(store.read([&](db::StoreSession& session) -> Status {
    auto id = storedOfficeKeyId(session);
    if (!id) return id.status();
    previous = *id;
    return Status::ok();
  }));
  if (previous && !rotate) {
    return Status::error(StatusCode::kAlreadyExists, "the office already has a key (id " +
                                                         *previous + "); --rotate replaces it");
  }
  if (pathExists(secretKeyOut)) {
    return Status::error(StatusCode::kAlreadyExists,
                         secretKeyOut.string() + " exists; refusing to overwrite it");
  }

  const crypto::OfficeKeyPair pair = crypto::OfficeKeyPair::generate();
  const std::string keyId = pair.publicKey.id();
  std::string text = secretKeyFileText(pair);
  Status written = crypto::writeFileAtomically(
      secretKeyOut, std::span(reinterpret_cast<const std::uint8_t*>(text.data()), text.size()));
  sodium_memzero(text.data(), text.size());
  if (written && ::chmod(secretKeyOut.c_str(), 0600) != 0) {
    written = Status::error(StatusCode::kIoError, "cannot chmod " + secretKeyOut.string());
  }
  if (!written) {
    (void)crypto::overwriteAndRemove(secretKeyOut);
    return written;
  }

  const Status stored = store.write([&](db::StoreSession& session) -> Status {
    auto current = storedOfficeKeyId(session);
    if (!current) return current.status();
    if (*current && !rotate) {
      return Status::error(StatusCode::kAlreadyExists,
                           "the office already has a key (id " + **current + ")");
    }
    const std::string publicKey(pair.publicKey.bytes.begin(), pair.publicKey.bytes.end());
    OPCAT_RETURN_IF_ERROR(session.putSetting(kPublicKeySetting, publicKey));
    OPCAT_RETURN_IF_ERROR(session.putSetting(kKeyIdSetting, keyId));
    return appendAudit(session, nowMs, kAdminActor,
                       *current ? "office_key.rotated" : "office_key.created",
                       "key_id=" + keyId + (*current ? " previous=" + **current : ""));
  });
  if (!stored) {
    (void)crypto::overwriteAndRemove(secretKeyOut);
    return stored;
  }
  return keyId;
}

AdminCommand officeKeyCommand() {
  return AdminCommand{
      "office-key",
      "--secret-key-out FILE [--rotate] | --show",
      "create the office key pair (secret key to a file), or show its id",
      "  --secret-key-out FILE   write the new secret key here (mode 0600; FILE must not exist).\n"
      "                          It is never stored on the server: keep it offline at the\n"
      "                          office; it alone opens interviewees' sealed identities.\n"
      "  --rotate                replace the key the server holds (keep the old secret key\n"
      "                          for identities sealed before)\n"
      "  --show                  print the id of the office key the server holds\n",
      {{"--secret-key-out", OptionSpec::Kind::kValue, false},
       {"--rotate", OptionSpec::Kind::kFlag, false},
       {"--show", OptionSpec::Kind::kFlag, false}},
      false,
      &runOfficeKey};
}

}  // namespace opcat::server::admin
