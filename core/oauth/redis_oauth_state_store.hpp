// The OAuth state store on Redis, for deployments of several instances.
#pragma once

#include "core/oauth/oauth_state_store.hpp"

#include "core/redis/redis_client.hpp"

#include <memory>
#include <string>
#include <vector>

namespace switchboard::oauth {

// Through hiredis 0.14 (RESP2), on the host's Redis client (core/redis: a bounded pool,
// timeouts, one retry on a fresh connection). create() is `SET key value EX ttl NX`,
// consume() is `GETDEL key` (Redis >= 6.2), so single use is atomic in Redis itself. The key
// is key_prefix plus SHA-256 of the state; the value is JSON holding the binding and the
// verifier. Failures are unavailable / `state_store_unavailable`.
class RedisOAuthStateStore final : public OAuthStateStore {
public:
    explicit RedisOAuthStateStore(redis::RedisOptions redis, OAuthStateStoreOptions options = {},
                                  std::string key_prefix = "switchboard:oauth_state:");
    ~RedisOAuthStateStore() override;
    RedisOAuthStateStore(const RedisOAuthStateStore&) = delete;
    RedisOAuthStateStore& operator=(const RedisOAuthStateStore&) = delete;

    Result<OAuthStateTicket> create(const OAuthStateBinding& binding) override;
    Result<ConsumedOAuthState> consume(std::string_view state) override;

    // The Redis key of a state (for operators and tests; the state itself is not in it).
    Result<std::string> key_for(std::string_view state) const;

private:
    // Runs one command; an error reply is state_store_unavailable too.
    Result<redis::RedisReply> run(std::string_view what, const std::vector<std::string>& argv);

    redis::RedisClient client_;
    OAuthStateStoreOptions options_;
    std::string key_prefix_;
};

} // namespace switchboard::oauth
