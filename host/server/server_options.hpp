// What the HTTP server needs to know, filled from the config file by the host. Plain data:
// no parsing here, the defaults are the ones a small deployment can run with.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>

namespace switchboard::server {

struct ServerOptions {
    // Where to listen. Port 0 asks the kernel for a free port; Server::port() tells which.
    std::string address = "127.0.0.1";
    std::uint16_t port = 8080;

    // Threads running the io_context (accept, parse, write); never blocked by handlers.
    unsigned io_threads = 1;
    // Threads running route handlers (plugin calls, database, outbound HTTP).
    unsigned worker_threads = 4;

    // Largest request body accepted; beyond it the answer is 413 `body_too_large`.
    std::uint64_t body_limit_bytes = 1024 * 1024;
    // Largest request line + header block accepted; beyond it the answer is 431.
    std::uint32_t header_limit_bytes = 16 * 1024;

    // Time to receive a whole request once its first byte arrived (slow clients get 408).
    std::chrono::milliseconds read_timeout{30'000};
    // Time a kept-alive connection may wait for its next request while nothing is in flight.
    std::chrono::milliseconds idle_timeout{60'000};
    // Time to write one response to a client that reads slowly before the connection is cut.
    std::chrono::milliseconds write_timeout{30'000};

    // Requests read ahead on one connection while earlier ones are still being answered.
    std::size_t pipeline_limit = 8;

    // On stop, time in-flight requests get to finish before their connections are cut.
    std::chrono::milliseconds shutdown_grace{10'000};

    // Stop on SIGINT and SIGTERM. Tests that run several servers in one process turn it off.
    bool handle_signals = true;
};

} // namespace switchboard::server
