// Raw TCP sockets to a server on this machine, for tests and benchmarks that must control every
// byte (malformed requests, slow clients, the fault-injecting proxy).
#pragma once

#include <cstdint>

namespace opcat::testing {

// A blocking TCP connection to 127.0.0.1:port (close-on-exec), or -1 with errno in *error
// (when given) if the socket or the connect fails; *error is 0 on success.
int connectLoopback(std::uint16_t port, int* error = nullptr);

// Switches `fd` to non-blocking mode.
void setNonBlocking(int fd);

}  // namespace opcat::testing
