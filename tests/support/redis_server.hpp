// A real redis-server owned by the test, on a free loopback port, without persistence.
#pragma once

#include "tests/support/child_process.hpp"
#include "tests/support/temp_dir.hpp"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

namespace switchboard::testing {

// Starts `redis-server --port <free> --bind 127.0.0.1 --save "" --appendonly no` in a
// temporary directory and waits until it answers PING. It can be stopped and started again
// on the same port (outage tests) or frozen with SIGSTOP (a server that accepts connections
// but never answers: timeout tests). The binary is `redis-server` from PATH, or
// $SB_REDIS_SERVER. Everything throws std::runtime_error on failure, with the server log.
// TLS beside the plain port (which the readiness check and command() keep using): PEM files.
struct RedisTls {
    std::string certificate_file;
    std::string private_key_file;
    std::string ca_file; // redis-server requires one, even without client certificates
};

class RedisServer {
public:
    explicit RedisServer(std::optional<RedisTls> tls = std::nullopt);
    ~RedisServer();
    RedisServer(const RedisServer&) = delete;
    RedisServer& operator=(const RedisServer&) = delete;

    const std::string& host() const { return host_; }
    std::uint16_t port() const { return port_; }
    std::uint16_t tls_port() const { return tls_port_; } // 0 without TLS

    void start(); // no-op when running
    void stop();  // SIGTERM and wait; the port stays reserved for start()
    void restart() {
        stop();
        start();
    }
    void pause();  // SIGSTOP: connections are accepted by the kernel, nothing answers
    void resume(); // SIGCONT
    bool running();

    // Sends one inline command (e.g. "DBSIZE") and returns the raw reply line; for checks
    // that must not go through the code under test.
    std::string command(const std::string& inline_command);

private:
    std::string log_tail() const;

    TempDir dir_{"sb-redis-"};
    std::string host_ = "127.0.0.1";
    std::uint16_t port_ = 0;
    std::optional<RedisTls> tls_;
    std::uint16_t tls_port_ = 0;
    std::optional<ChildProcess> process_;
};

} // namespace switchboard::testing
