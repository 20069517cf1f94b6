// A TCP port on 127.0.0.1 that nothing listens on right now, for a test server.
#pragma once

#include <cstdint>

namespace switchboard::testing {

// A random port below the kernel's ephemeral range that can be bound on 127.0.0.1 now (the
// socket is closed again), so that no outgoing connection can take it before the caller's
// server binds it; a port the kernel chooses when none of 100 tries is free. Another test
// server could still pick the same port at the same moment, one chance in about 20,000.
// Throws std::runtime_error when no socket can be bound.
std::uint16_t free_loopback_port();

} // namespace switchboard::testing
