// Running the PouchDB peer harness (../shared/bench/peer-pouchdb) in the same sitting as our
// benchmarks: a writable copy (the original is read-only), its one JSON result line, and reading
// numbers out of it. Shared by server_ingest_bench and e2e_sync_bench.
#pragma once

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>

#include "support/child_process.h"
#include "support/temp_dir.h"

namespace opcat::bench {
namespace fs = std::filesystem;

inline std::string readAll(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// Copies the peer's files (not node_modules) into `work`, keeping modification times so that
// run.sh reuses an earlier install there; the original folder is read-only.
inline void copyPeer(const fs::path& from, const fs::path& work) {
  fs::create_directories(work);
  for (auto it = fs::recursive_directory_iterator(from); it != fs::recursive_directory_iterator();
       ++it) {
    if (it->path().filename() == "node_modules") {
      it.disable_recursion_pending();
      continue;
    }
    const fs::path target = work / fs::relative(it->path(), from);
    if (it->is_directory()) {
      fs::create_directories(target);
      continue;
    }
    if (!it->is_regular_file()) continue;
    const std::string content = readAll(it->path());
    if (fs::exists(target) && readAll(target) == content) continue;
    if (fs::exists(target)) fs::permissions(target, fs::perms::owner_write, fs::perm_options::add);
    std::ofstream(target, std::ios::binary | std::ios::trunc) << content;
    fs::permissions(target, it->status().permissions() | fs::perms::owner_write);
    fs::last_write_time(target, fs::last_write_time(it->path()));
  }
}

// The peer's one JSON line, or nullopt when it failed.
inline std::optional<std::string> runPeer(const fs::path& peer, const fs::path& peerWork, int nDocs,
                                          int singleEdits) {
  copyPeer(peer, peerWork);
  ::setenv("N_DOCS", std::to_string(nDocs).c_str(), 1);
  ::setenv("SINGLE_EDITS", std::to_string(singleEdits).c_str(), 1);
  testing::TempDir scratch("opcat-peer-out");
  const fs::path out = scratch.path() / "stdout";
  const int outFd = ::open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (outFd < 0) return std::nullopt;
  std::printf("\nRunning the peer: %s/run.sh (a copy of %s), N_DOCS=%d; its progress on stderr\n",
              peerWork.c_str(), peer.c_str(), nDocs);
  std::fflush(stdout);
  const pid_t pid =
      testing::spawnProcess((peerWork / "run.sh").string(), {}, outFd, STDERR_FILENO);
  ::close(outFd);
  std::optional<int> code = testing::waitForProcess(pid, std::chrono::seconds(1200));
  if (!code) {
    ::kill(pid, SIGTERM);
    if (!testing::waitForProcess(pid, std::chrono::seconds(30))) {
      ::kill(pid, SIGKILL);
      testing::waitForProcess(pid, std::chrono::seconds(10));
    }
    std::fprintf(stderr, "the peer benchmark timed out\n");
    return std::nullopt;
  }
  std::string text = readAll(out);
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
  const std::size_t lastLine = text.rfind('\n');
  text = lastLine == std::string::npos ? text : text.substr(lastLine + 1);
  if (*code != 0 || text.empty() || text.front() != '{') {
    std::fprintf(stderr, "the peer benchmark failed with exit status %d\n", *code);
    return std::nullopt;
  }
  return text;
}

// A number field of a flat JSON object; NaN when absent or null.
inline double jsonNumber(const std::string& json, const std::string& key) {
  const std::string needle = "\"" + key + "\":";
  const std::size_t at = json.find(needle);
  if (at == std::string::npos) return std::nan("");
  const char* start = json.c_str() + at + needle.size();
  char* end = nullptr;
  const double value = std::strtod(start, &end);
  return end == start ? std::nan("") : value;
}

}  // namespace opcat::bench
