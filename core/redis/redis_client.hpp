// RedisClient: the host's Redis client (hiredis 0.14, RESP2), for the OAuth state store and the
// shared rate limits.
//
// Threads: a hiredis context must not be used by two threads at once, so the client keeps a
// small pool of connections (pool_size): a command takes an idle connection (or opens one) and
// puts it back after its reply. Concurrent callers do not queue behind one socket, each
// instance opens a bounded number of connections, and a broken socket stays with the call that
// saw it. When every connection is busy, a call waits up to connect_timeout for one.
//
// Failures: connects are bounded by connect_timeout and each command by command_timeout
// (SO_RCVTIMEO/SO_SNDTIMEO); AUTH and SELECT run on connect. A connection that fails is
// dropped with the idle ones (they reach the same, maybe restarted, server); a command that
// failed on a pooled connection is retried once on a fresh one, so a call takes at most about
// connect_timeout + 2 x command_timeout. There is no background reconnect: the next call
// reconnects.
#pragma once

#include "core/common/error.hpp"
#include "core/redis/tls_relay.hpp"

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

struct redisContext;

namespace switchboard::redis {

struct RedisOptions {
    std::string host = "127.0.0.1";
    std::uint16_t port = 6379;
    std::string password; // AUTH when not empty; never logged
    int database = 0;     // SELECT when not 0
    std::chrono::milliseconds connect_timeout{1000};
    std::chrono::milliseconds command_timeout{1000};
    std::size_t pool_size = 4; // connections kept open; also the commands in flight at once
    // TLS (rediss://): through a TlsRelay, the certificate checked against `host`.
    std::optional<RedisTlsOptions> tls;
    // What its failures say: unavailable / `error_code`, "<role> at host:port ..." (never the
    // password).
    std::string role = "Redis";
    std::string error_code = "redis_unavailable";
};

// A reply, copied out of hiredis.
struct RedisReply {
    enum class Type { string, integer, nil, status, array, error };
    Type type = Type::nil;
    long long integer = 0;
    std::string text; // string, status and error replies
};

// Thread-safe.
class RedisClient {
public:
    explicit RedisClient(RedisOptions options);
    ~RedisClient();
    RedisClient(const RedisClient&) = delete;
    RedisClient& operator=(const RedisClient&) = delete;

    // Runs `argv` (binary-safe). An error reply is a reply (Type::error), not an Error.
    Result<RedisReply> run(const std::vector<std::string>& argv);

    struct Connection;

private:
    Result<std::unique_ptr<Connection>> connect() const;
    Result<std::pair<std::unique_ptr<Connection>, bool>> acquire(); // (connection, fresh)
    void release(std::unique_ptr<Connection> connection);
    Error unavailable(const std::string& why) const;

    RedisOptions options_;
    // With options_.tls: the relay, or why it could not be made (every connect reports it).
    // Declared before the connections so that it outlives them.
    std::unique_ptr<TlsRelay> relay_;
    std::optional<Error> relay_error_;
    std::mutex mutex_;
    std::condition_variable available_;
    std::vector<std::unique_ptr<Connection>> idle_;
    std::size_t open_ = 0;
};

} // namespace switchboard::redis
