// The OAuth state store on Redis, for deployments of several instances.
#pragma once

#include "core/oauth/oauth_state_store.hpp"

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

struct redisContext;

namespace switchboard::oauth {

struct RedisOptions {
    std::string host = "127.0.0.1";
    std::uint16_t port = 6379;
    std::string password; // sent with AUTH when not empty; never logged
    int database = 0;     // SELECT when not 0
    std::chrono::milliseconds connect_timeout{1000};
    std::chrono::milliseconds command_timeout{1000};
    // Connections kept open; also the number of commands in flight at once.
    std::size_t pool_size = 4;
    std::string key_prefix = "switchboard:oauth_state:";
};

// Through hiredis 0.14 (RESP2). create() is `SET key value EX ttl NX`, consume() is
// `GETDEL key` (Redis >= 6.2), so single use is atomic in Redis itself. The key is the
// prefix plus SHA-256 of the state; the value is JSON holding the binding and the verifier.
//
// Threads: a hiredis context must not be used by two threads at once. The store keeps a
// small pool of connections (pool_size): a call takes an idle connection (or opens one) and
// puts it back after its command. That keeps concurrent OAuth callbacks from queueing
// behind one mutex-guarded socket, bounds the connections each instance opens, and confines
// a broken socket to the call that saw it. When every connection is busy, a call waits up
// to connect_timeout for one.
//
// Failures: connects are bounded by connect_timeout and each command by command_timeout
// (SO_RCVTIMEO/SO_SNDTIMEO). A connection that fails is dropped; a command that failed on a
// connection taken from the pool is retried once on a fresh connection (the server may
// have restarted since), so a call takes at most about connect_timeout +
// 2 x command_timeout before returning `state_store_unavailable`. There is no background
// reconnect thread: the next call reconnects.
class RedisOAuthStateStore final : public OAuthStateStore {
public:
    explicit RedisOAuthStateStore(RedisOptions redis, OAuthStateStoreOptions options = {});
    ~RedisOAuthStateStore() override;
    RedisOAuthStateStore(const RedisOAuthStateStore&) = delete;
    RedisOAuthStateStore& operator=(const RedisOAuthStateStore&) = delete;

    Result<OAuthStateTicket> create(const OAuthStateBinding& binding) override;
    Result<ConsumedOAuthState> consume(std::string_view state) override;

    // The Redis key of a state (for operators and tests; the state itself is not in it).
    Result<std::string> key_for(std::string_view state) const;

    struct Connection;
    struct Reply;

private:
    struct Acquired;
    Result<std::unique_ptr<Connection>> connect() const;
    // An idle pooled connection, or a new one (fresh = true).
    Result<Acquired> acquire();
    void release(std::unique_ptr<Connection> connection);
    // Runs one command (argv form, binary-safe) with the retry rule above.
    Result<std::unique_ptr<Reply>> run(std::string_view what, const std::vector<std::string>& argv);

    RedisOptions redis_;
    OAuthStateStoreOptions options_;
    std::mutex mutex_;
    std::condition_variable available_;
    std::vector<std::unique_ptr<Connection>> idle_;
    std::size_t open_ = 0; // connections in use or idle
};

} // namespace switchboard::oauth
