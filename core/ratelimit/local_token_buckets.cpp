#include "core/ratelimit/local_token_buckets.hpp"

#include <algorithm>
#include <cmath>

namespace switchboard::ratelimit {
namespace {

constexpr std::size_t sweep_every = 1024;

} // namespace

LocalTokenBuckets::LocalTokenBuckets(SteadyClock clock) : clock_(std::move(clock)) {}

std::chrono::steady_clock::time_point LocalTokenBuckets::now() const {
    return clock_ ? clock_() : std::chrono::steady_clock::now();
}

std::size_t LocalTokenBuckets::size() const {
    std::lock_guard lock(mutex_);
    return buckets_.size();
}

void LocalTokenBuckets::sweep(std::chrono::steady_clock::time_point at) {
    std::erase_if(buckets_, [&](const auto& entry) {
        auto full = full_after_seconds_.find(entry.first);
        if (full == full_after_seconds_.end()) return true;
        const std::chrono::duration<double> idle = at - entry.second.updated;
        return idle.count() >= full->second;
    });
    std::erase_if(full_after_seconds_,
                  [&](const auto& entry) { return !buckets_.contains(entry.first); });
}

Result<std::chrono::milliseconds>
LocalTokenBuckets::try_take(const std::vector<BucketClaim>& claims) {
    const auto at = now();
    std::lock_guard lock(mutex_);
    if (++calls_ % sweep_every == 0) sweep(at);
    // The level of each bucket now, and the longest wait for a whole token among them.
    std::vector<double> levels;
    levels.reserve(claims.size());
    double wait_seconds = 0;
    for (const auto& claim : claims) {
        double level = claim.capacity;
        if (auto it = buckets_.find(claim.key); it != buckets_.end()) {
            const std::chrono::duration<double> elapsed = at - it->second.updated;
            level = std::min(claim.capacity,
                             it->second.tokens + std::max(0.0, elapsed.count()) *
                                                     claim.refill_per_second);
        }
        levels.push_back(level);
        if (level < 1) wait_seconds = std::max(wait_seconds, (1 - level) / claim.refill_per_second);
    }
    if (wait_seconds > 0) {
        return std::chrono::milliseconds(
            std::max<long long>(1, static_cast<long long>(std::ceil(wait_seconds * 1000))));
    }
    for (std::size_t i = 0; i < claims.size(); ++i) {
        buckets_[claims[i].key] = Bucket{levels[i] - 1, at};
        full_after_seconds_[claims[i].key] = claims[i].capacity / claims[i].refill_per_second;
    }
    return std::chrono::milliseconds(0);
}

} // namespace switchboard::ratelimit
