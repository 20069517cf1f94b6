// RedisClient: a small pool of hiredis connections that runs one command at a time per
// connection, for the shared token buckets. The same rules as the OAuth state store's pool
// (core/oauth/redis_oauth_state_store.hpp): bounded connects and commands, AUTH and SELECT on
// connect, a command that failed on a pooled connection retried once on a fresh one, a broken
// connection dropped with the idle ones (they reach the same, maybe restarted, server).
#pragma once

#include "core/common/error.hpp"

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

struct redisContext;

namespace switchboard::ratelimit {

struct RedisClientOptions {
    std::string host = "127.0.0.1";
    std::uint16_t port = 6379;
    std::string password; // AUTH when not empty; never logged
    int database = 0;     // SELECT when not 0
    std::chrono::milliseconds connect_timeout{1000};
    std::chrono::milliseconds command_timeout{1000};
    std::size_t pool_size = 4;
};

// A reply, copied out of hiredis.
struct RedisReply {
    enum class Type { string, integer, nil, status, array, error };
    Type type = Type::nil;
    long long integer = 0;
    std::string text; // string, status and error replies
};

// Thread-safe. Errors: unavailable / `rate_limit_store_unavailable`, naming host and port and
// never the password.
class RedisClient {
public:
    explicit RedisClient(RedisClientOptions options);
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

    RedisClientOptions options_;
    std::mutex mutex_;
    std::condition_variable available_;
    std::vector<std::unique_ptr<Connection>> idle_;
    std::size_t open_ = 0;
};

} // namespace switchboard::ratelimit
