// TLS to Redis for hiredis 0.14, which speaks only plain TCP (Debian 12's libhiredis has no
// hiredis_ssl): each connection is a TLS stream to the server, verified against the CA store
// and the server's name, whose plaintext side is one end of a socketpair; hiredis gets the
// other end (redisConnectFd) and a relay thread copies bytes both ways. Closing either side
// closes the other: hiredis's redisFree ends the TLS session, and a server that hangs up
// makes hiredis read end-of-file.
#pragma once

#include "core/common/error.hpp"

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

namespace switchboard::redis {

struct RedisTlsOptions {
    // Trust anchors: the system store, plus this PEM file when not empty (a private CA).
    std::string ca_file;
};

class TlsRelay {
public:
    // Errors: invalid_input / `invalid_redis_tls` (an unreadable CA file).
    static Result<std::unique_ptr<TlsRelay>> create(const RedisTlsOptions& options);
    ~TlsRelay(); // ends every relayed connection
    TlsRelay(const TlsRelay&) = delete;
    TlsRelay& operator=(const TlsRelay&) = delete;

    // Connects to host:port, completes the TLS handshake (certificate and host name
    // verified) within `timeout`, and returns the plaintext end for hiredis, which owns it.
    // Errors: unavailable with the reason (never a secret: nothing has been sent yet).
    Result<int> open(const std::string& host, std::uint16_t port,
                     std::chrono::milliseconds timeout);

private:
    struct Impl;
    explicit TlsRelay(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

} // namespace switchboard::redis
