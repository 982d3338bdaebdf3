#include "core/public_random.h"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstring>
#include <set>
#include <string>

namespace opcat {
namespace {

std::string draw(std::size_t size) {
  std::string out(size, '\0');
  publicRandomBytes(out.data(), out.size());
  return out;
}

TEST(PublicRandomTest, NoNonceRepeatsAcrossManyRefillsOfTheBuffer) {
  std::set<std::string> seen;
  for (int i = 0; i < 20000; ++i) {  // ~120 refills of the 4 KiB buffer
    EXPECT_TRUE(seen.insert(draw(24)).second) << "nonce " << i << " repeated";
  }
}

TEST(PublicRandomTest, LargeRequestsAreFilledCompletely) {
  const std::string a = draw(100000);
  const std::string b = draw(100000);
  EXPECT_NE(a, b);
  EXPECT_NE(a, std::string(a.size(), '\0'));
}

// A forked child must not hand out the nonces its parent is about to use under the same key.
TEST(PublicRandomTest, AForkedChildDoesNotRepeatTheParentsNextBytes) {
  static_cast<void>(draw(24));  // the buffer now holds bytes the parent will hand out next
  int pipeFds[2];
  ASSERT_EQ(pipe(pipeFds), 0);
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    const std::string next = draw(24);
    const bool written =
        write(pipeFds[1], next.data(), next.size()) == static_cast<ssize_t>(next.size());
    _exit(written ? 0 : 1);
  }
  close(pipeFds[1]);
  std::array<char, 24> childBytes{};
  ASSERT_EQ(read(pipeFds[0], childBytes.data(), childBytes.size()), 24);
  close(pipeFds[0]);
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  const std::string parentNext = draw(24);
  EXPECT_NE(parentNext, std::string(childBytes.data(), childBytes.size()));
}

}  // namespace
}  // namespace opcat
