// What the HTTP server needs to know, filled from the config file by the host. Plain data:
// no parsing here, the defaults are the ones a small deployment can run with.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace switchboard::server {

// Cross-origin requests from browsers (CORS). No origin is allowed by default: a browser
// page served elsewhere then cannot read any answer.
struct CorsOptions {
    // Exact origins ("https://app.example.com": scheme, host, port; no path).
    std::vector<std::string> allowed_origins;
    // Access-Control-Allow-Credentials: true, for pages that send cookies or TLS client
    // certificates along (bearer tokens do not need it).
    bool allow_credentials = false;
    // How long a browser may cache a preflight answer.
    std::uint32_t max_age_seconds = 600;
};

struct ListenEndpoint {
    std::string address = "127.0.0.1";
    std::uint16_t port = 0;
};

// TLS on the public listener (the metrics endpoint stays plain HTTP): PEM files, the
// certificate file holding the server's certificate followed by its intermediates.
struct TlsOptions {
    std::filesystem::path certificate_file;
    std::filesystem::path private_key_file;
};

struct ServerOptions {
    // Where to listen. Port 0 asks the kernel for a free port; Server::port() tells which.
    std::string address = "127.0.0.1";
    std::uint16_t port = 8080;
    // When set, GET /metrics is served on this endpoint only (for a network only the
    // monitoring reaches), not on the public one.
    std::optional<ListenEndpoint> metrics_endpoint;

    // Threads running the io_context (accept, parse, gates, write); never blocked by handlers.
    unsigned io_threads = 1;
    // Threads running route handlers (plugin calls, database, outbound HTTP).
    unsigned worker_threads = 4;
    // Requests that may wait for a free worker; past it the answer is 503 `server_busy` with
    // Retry-After.
    std::size_t worker_queue_limit = 128;

    // Largest request body of any route before its caller is authenticated, and of every route
    // that does not take uploads; beyond it the answer is 413 `body_too_large`, sent without
    // reading the body.
    std::uint64_t body_limit_bytes = 64 * 1024;
    // Largest body of a route that takes uploads (BodyLimit::large_after_gate), once its gate
    // admitted the caller.
    std::uint64_t authenticated_body_limit_bytes = 16 * 1024 * 1024;
    // Largest request line + header block accepted; beyond it the answer is 431.
    std::uint32_t header_limit_bytes = 16 * 1024;

    // Connections open at once, in all and from one client address; a connection past either
    // gets 503 `too_many_connections` and is closed. 0 turns the per-address cap off (behind a
    // reverse proxy every client has the proxy's address).
    std::size_t max_connections = 1024;
    std::size_t max_connections_per_address = 64;
    // Retry-After of the 503 answers the server gives by itself (busy, too many connections).
    std::uint32_t retry_after_seconds = 5;

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

    CorsOptions cors;

    // When set, the public listener speaks HTTPS only (tls_credentials.hpp); a TLS handshake
    // must complete within read_timeout.
    std::optional<TlsOptions> tls;

    // Stop on SIGINT and SIGTERM, reload the TLS certificate and key on SIGHUP. Tests that run several servers in one process turn it off.
    bool handle_signals = true;
};

} // namespace switchboard::server
