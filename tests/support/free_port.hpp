// A TCP port on 127.0.0.1 that nothing listens on right now, for a test server.
#pragma once

#include <cstdint>

namespace switchboard::testing {

// Binds port 0 on the loopback interface, reads the port the kernel chose and closes the
// socket. Another process could take the port before the caller binds it; the kernel
// hands out ephemeral ports round-robin, so in practice it does not. Throws
// std::runtime_error when no socket can be bound.
std::uint16_t free_loopback_port();

} // namespace switchboard::testing
