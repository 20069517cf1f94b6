// RedisTokenBuckets: the buckets in Redis, shared by every instance, so that N instances
// together keep one budget. Each try_take() is one Lua script (EVALSHA, EVAL when Redis does
// not know it yet), which Redis runs atomically: it reads every bucket of the call, refills
// each from the server's own clock (TIME, so instances' clocks do not matter), and takes a
// token from all of them or from none. A bucket is a hash {tokens, ms} that expires once it
// would be full again anyway.
#pragma once

#include "core/ratelimit/token_buckets.hpp"
#include "core/redis/redis_client.hpp"

#include <memory>
#include <string>

namespace switchboard::ratelimit {

// Thread-safe (through the client's pool).
class RedisTokenBuckets final : public TokenBuckets {
public:
    // Keys are `key_prefix` + the claim's key; a claim key starting with "{provider}" keeps a
    // call's buckets in one Redis Cluster slot.
    RedisTokenBuckets(std::shared_ptr<redis::RedisClient> client,
                      std::string key_prefix = "switchboard:ratelimit:");

    Result<std::chrono::milliseconds> try_take(const std::vector<BucketClaim>& claims) override;

    // The script's SHA-1, as EVALSHA wants it.
    const std::string& script_sha1() const noexcept { return sha1_; }

private:
    std::shared_ptr<redis::RedisClient> client_;
    std::string prefix_;
    std::string sha1_;
};

} // namespace switchboard::ratelimit
