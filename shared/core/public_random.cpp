#include "core/public_random.h"

#include <pthread.h>
#include <sodium.h>

#include <array>
#include <cstring>
#include <mutex>

namespace opcat {
namespace {

constexpr std::size_t kPoolSize = 4096;

struct Pool {
  std::array<unsigned char, kPoolSize> bytes{};
  std::size_t used = kPoolSize;  // empty until first use
};

thread_local Pool t_pool;

// A forked child is a copy of the forking thread, buffer included: without this, parent and
// child would hand out the same nonces under the same key. The child handler runs on that very
// thread, so emptying its buffer is enough (no other thread exists in the child).
void emptyThisThreadsPool() { t_pool.used = kPoolSize; }

}  // namespace

void publicRandomBytes(void* out, std::size_t size) {
  static std::once_flag registered;
  std::call_once(registered, [] { pthread_atfork(nullptr, nullptr, &emptyThisThreadsPool); });
  if (size > kPoolSize / 4) {
    randombytes_buf(out, size);
    return;
  }
  Pool& pool = t_pool;
  if (kPoolSize - pool.used < size) {
    randombytes_buf(pool.bytes.data(), pool.bytes.size());
    pool.used = 0;
  }
  std::memcpy(out, pool.bytes.data() + pool.used, size);
  // Each byte is handed out once.
  sodium_memzero(pool.bytes.data() + pool.used, size);
  pool.used += size;
}

}  // namespace opcat
