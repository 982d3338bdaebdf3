// Random bytes that are not secret: nonces (sent next to the ciphertext) and record ids. They
// come from a per-thread buffer of system randomness (libsodium's randombytes_buf, i.e.
// getrandom), refilled 4 KiB at a time. One system call per sealed row was 40 % of the cost of
// sealing a record on this project's benchmark VMs. Keys and tokens must not come from here:
// they are drawn directly, so no future secret waits in a buffer.
#pragma once

#include <cstddef>

namespace opcat {

void publicRandomBytes(void* out, std::size_t size);

}  // namespace opcat
