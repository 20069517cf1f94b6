// TokenBuckets: where the state of the outbound rate limits' token buckets lives — in this
// process (LocalTokenBuckets) or in Redis, shared by every instance (RedisTokenBuckets).
#pragma once

#include "core/common/error.hpp"

#include <chrono>
#include <string>
#include <vector>

namespace switchboard::ratelimit {

// One bucket a call must take a token from. A bucket starts full; it holds at most
// `capacity` tokens and gains `refill_per_second` each second.
struct BucketClaim {
    std::string key; // e.g. "{hubspot}:tenant:acme"
    double capacity = 1;
    double refill_per_second = 1;
};

class TokenBuckets {
public:
    virtual ~TokenBuckets() = default;

    // Atomically: when every bucket of `claims` holds a whole token, takes one from each and
    // returns 0; otherwise takes nothing and returns how long until every one of them will
    // hold one (at the current rates; another caller may take it first). [thread-safe]
    // Errors: the store's (unavailable / `rate_limit_store_unavailable` for Redis).
    virtual Result<std::chrono::milliseconds> try_take(const std::vector<BucketClaim>& claims) = 0;
};

} // namespace switchboard::ratelimit
