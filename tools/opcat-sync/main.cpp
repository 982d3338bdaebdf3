// opcat-sync: runs the tablet's sync engine on a data folder without the app, for operators
// and for the fault and convergence suites. Prints what it did; exits non-zero saying why.
//
//   opcat-sync init   --data DIR                      create an empty encrypted store
//   opcat-sync enroll --data DIR --server URL --code CODE [--pin sha256//…]… [--ca FILE]
//                                                     (https: two pins, current and backup key)
//   opcat-sync once   --data DIR                      one sync: push the outbox, then pull
//   opcat-sync status --data DIR                      outbox, cursor, conflicts
//
// The passphrase is read from the first line of standard input (never from the command line,
// where other users could see it in the process list).
#include <sodium.h>

#include <iostream>
#include <map>
#include <string>
#include <vector>

#include "net/curl_transport.h"
#include "storage/outbox.h"
#include "storage/tablet_store.h"
#include "sync/client/sync_engine.h"

namespace {

using namespace opcat;

constexpr int kExitFailure = 1;
constexpr int kExitUsage = 2;

const char kUsage[] =
    "usage: opcat-sync init   --data DIR\n"
    "       opcat-sync enroll --data DIR --server URL --code CODE [--pin sha256//BASE64]... "
    "[--ca FILE] [--name NAME]\n"
    "       opcat-sync once   --data DIR [--fast-kdf]\n"
    "       opcat-sync status --data DIR\n"
    "An https:// server needs --pin twice: its public key's pin and a backup key's pin.\n"
    "The passphrase is read from the first line of standard input; a new one needs at least\n"
    "8 characters.\n";

struct Args {
  std::string command;
  std::map<std::string, std::string> single;
  std::vector<std::string> pins;
  bool fastKdf = false;  // tests only: the cheapest Argon2 cost
};

bool parse(int argc, char** argv, Args& args) {
  if (argc < 2) return false;
  args.command = argv[1];
  for (int i = 2; i < argc; ++i) {
    const std::string flag = argv[i];
    if (flag == "--fast-kdf") {
      args.fastKdf = true;
      continue;
    }
    if (i + 1 >= argc || flag.rfind("--", 0) != 0) return false;
    const std::string value = argv[++i];
    if (flag == "--pin") {
      args.pins.push_back(value);
    } else if (flag == "--data" || flag == "--server" || flag == "--code" || flag == "--ca" ||
               flag == "--name") {
      args.single[flag.substr(2)] = value;
    } else {
      return false;
    }
  }
  return args.single.count("data") == 1;
}

int fail(const std::string& message) {
  std::cerr << "opcat-sync: " << message << std::endl;
  return kExitFailure;
}

storage::StoreOptions storeOptions(const Args& args) {
  storage::StoreOptions options;
  if (args.fastKdf) options.kdf = crypto::Argon2Params::fastForTests();
  return options;
}

int run(const Args& args) {
  std::string passphrase;
  if (!std::getline(std::cin, passphrase) || passphrase.empty()) {
    return fail("no passphrase on standard input");
  }
  const std::string dir = args.single.at("data");
  if (args.command == "init") {
    auto store = storage::TabletStore::create(dir, passphrase, storeOptions(args));
    sodium_memzero(passphrase.data(), passphrase.size());
    if (!store) return fail(store.status().toString());
    std::cout << "created an encrypted store in " << dir << ", device " << (*store)->deviceId()
              << std::endl;
    return 0;
  }
  auto store = storage::TabletStore::open(dir, passphrase, storeOptions(args));
  sodium_memzero(passphrase.data(), passphrase.size());
  if (!store) return fail(store.status().toString());

  if (args.command == "status") {
    auto pending = storage::Outbox(**store).pendingCount();
    auto cursor = (*store)->pullCursor();
    auto conflicts = (*store)->conflictedRecords();
    if (!pending || !cursor || !conflicts) return fail("cannot read the store's sync state");
    std::cout << "device " << (*store)->deviceId() << ": " << *pending
              << " changes waiting to be sent, pulled up to " << *cursor << ", "
              << conflicts->size() << " records with conflicts to resolve" << std::endl;
    return 0;
  }
  if (args.command == "enroll") {
    if (!args.single.count("server") || !args.single.count("code")) {
      std::cerr << kUsage;
      return kExitUsage;
    }
    net::CurlOptions options;
    options.pins = args.pins;
    options.caFile = args.single.count("ca") ? args.single.at("ca") : "";
    net::CurlTransport transport(options);
    const Status enrolled = sync::enrollDevice(
        **store, transport, args.single.at("server"), args.single.at("code"),
        args.single.count("name") ? args.single.at("name") : "opcat-sync", args.pins,
        options.caFile);
    if (!enrolled.isOk()) return fail(enrolled.toString());
    std::cout << "enrolled device " << (*store)->deviceId() << " with "
              << args.single.at("server") << std::endl;
    return 0;
  }
  if (args.command == "once") {
    auto endpoint = sync::loadEndpoint(**store);
    if (!endpoint) return fail(endpoint.status().toString());
    net::CurlOptions options;
    options.pins = endpoint->pins;
    options.caFile = endpoint->caFile;
    net::CurlTransport transport(options);
    sync::SyncEngine engine(**store, transport, *endpoint);
    auto report = engine.syncOnce();
    if (!report) return fail("sync stopped: " + report.status().toString());
    std::cout << report->summary() << std::endl;
    return 0;
  }
  std::cerr << kUsage;
  return kExitUsage;
}

}  // namespace

int main(int argc, char** argv) {
  Args args;
  if (!parse(argc, argv, args)) {
    std::cerr << kUsage;
    return kExitUsage;
  }
  if (sodium_init() < 0) return fail("libsodium failed to start");
  return run(args);
}
