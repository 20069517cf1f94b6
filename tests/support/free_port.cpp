#include "tests/support/free_port.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <optional>
#include <random>
#include <stdexcept>
#include <string>

namespace switchboard::testing {

namespace {

// Binds `port` (0: one the kernel chooses) on 127.0.0.1 and returns the port bound, or nullopt
// when it is taken.
std::optional<std::uint16_t> bind_loopback(std::uint16_t port) {
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) throw std::runtime_error(std::string("socket: ") + std::strerror(errno));
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    address.sin_port = htons(port);
    socklen_t length = sizeof(address);
    const bool bound = ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) == 0 &&
                       ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) == 0;
    const int bind_error = errno;
    ::close(fd);
    if (!bound) {
        errno = bind_error;
        return std::nullopt;
    }
    return ntohs(address.sin_port);
}

// The first port of the kernel's ephemeral range, from which it takes the local port of every
// outgoing connection (Linux's default: 32768).
unsigned first_ephemeral_port() {
    std::ifstream range("/proc/sys/net/ipv4/ip_local_port_range");
    unsigned low = 0;
    unsigned high = 0;
    if (range >> low >> high && low > 1024) return low;
    return 32768;
}

} // namespace

std::uint16_t free_loopback_port() {
    // Below the ephemeral range: no outgoing connection (of this test, or of another running
    // beside it) can take the port between this call and the server's bind, which a port the
    // kernel chose from that range did once (a provider-sim "Address already in use").
    static const unsigned limit = first_ephemeral_port(); // read once per process
    if (limit > 10000) {
        thread_local std::mt19937 random(std::random_device{}());
        std::uniform_int_distribution<unsigned> pick(10000, limit - 1);
        for (int attempt = 0; attempt < 100; ++attempt) {
            if (const auto port = bind_loopback(static_cast<std::uint16_t>(pick(random)))) return *port;
        }
    }
    if (const auto port = bind_loopback(0)) return *port;
    throw std::runtime_error(std::string("cannot bind a loopback port: ") + std::strerror(errno));
}

} // namespace switchboard::testing
