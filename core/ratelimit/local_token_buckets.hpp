// LocalTokenBuckets: the buckets in this process's memory (one instance, or the fallback when
// Redis cannot be reached).
#pragma once

#include "core/ratelimit/token_buckets.hpp"

#include <chrono>
#include <functional>
#include <map>
#include <mutex>
#include <string>

namespace switchboard::ratelimit {

using SteadyClock = std::function<std::chrono::steady_clock::time_point()>;

// Thread-safe (one mutex). A bucket that has refilled completely is forgotten on the next
// sweep (every 1024 calls), so the map holds only tenants that called recently.
class LocalTokenBuckets final : public TokenBuckets {
public:
    explicit LocalTokenBuckets(SteadyClock clock = {});

    Result<std::chrono::milliseconds> try_take(const std::vector<BucketClaim>& claims) override;

    // How many buckets are held (tests).
    std::size_t size() const;

private:
    struct Bucket {
        double tokens = 0;
        std::chrono::steady_clock::time_point updated;
    };
    std::chrono::steady_clock::time_point now() const;
    void sweep(std::chrono::steady_clock::time_point at);

    SteadyClock clock_;
    mutable std::mutex mutex_;
    std::map<std::string, Bucket, std::less<>> buckets_;
    std::map<std::string, double, std::less<>> full_after_seconds_; // capacity / refill, per key
    std::size_t calls_ = 0;
};

} // namespace switchboard::ratelimit
