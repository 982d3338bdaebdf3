// The WAL checkpointer's thread yields to the work people wait for: it runs at a lower priority
// (a higher nice value) than the threads that serve requests or the person.
#include <gtest/gtest.h>

#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>

#include "storage/database.h"
#include "storage/wal_checkpointer.h"
#include "support/temp_dir.h"

namespace opcat::testing {
namespace {

// How many of this process's threads run at `nice` (field 19 of /proc/self/task/*/stat).
int threadsAtNiceness(int nice) {
  int count = 0;
  for (const auto& task : std::filesystem::directory_iterator("/proc/self/task")) {
    std::ifstream in(task.path() / "stat");
    std::string stat;
    std::getline(in, stat);
    const auto afterName = stat.rfind(')');
    if (afterName == std::string::npos) continue;
    std::istringstream fields(stat.substr(afterName + 2));  // from field 3, the state
    std::string field;
    for (int i = 3; i <= 19 && fields >> field; ++i) {
      if (i == 19 && std::stoi(field) == nice) ++count;
    }
  }
  return count;
}

TEST(WalCheckpointerTest, ItsThreadRunsAtALowerPriorityAndEndsWithIt) {
  const int own = getpriority(PRIO_PROCESS, 0);  // this thread's; ctest may run under `nice`
  const int kNice = std::min(own + storage::WalCheckpointer::kLowerPriorityBy, 19);
  ASSERT_GT(kNice, own) << "already at the lowest priority: nothing to check";
  ASSERT_EQ(threadsAtNiceness(kNice), 0);
  TempDir dir("opcat-checkpointer-test");
  auto db = storage::Database::open(dir.path() / "store.db", /*create=*/true);
  ASSERT_TRUE(db.isOk()) << db.status().toString();
  {
    auto checkpointer = storage::WalCheckpointer::start(dir.path() / "store.db", **db);
    ASSERT_TRUE(checkpointer.isOk()) << checkpointer.status().toString();
    // The thread lowers its own priority as it starts.
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    while (threadsAtNiceness(kNice) == 0 && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    EXPECT_EQ(threadsAtNiceness(kNice), 1);
    EXPECT_EQ(threadsAtNiceness(own), 1) << "the test's own thread keeps its priority";
  }
  EXPECT_EQ(threadsAtNiceness(kNice), 0);
}

}  // namespace
}  // namespace opcat::testing
