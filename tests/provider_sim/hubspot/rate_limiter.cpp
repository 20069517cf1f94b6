#include "tests/provider_sim/hubspot/rate_limiter.hpp"

namespace switchboard::sim {

RateLimiter::Outcome RateLimiter::take(std::int64_t account) {
    std::lock_guard lock(mutex_);
    const TimePoint now = clock_.now();
    auto& times = requests_[account];
    while (!times.empty() && times.front() <= now - window_) {
        times.pop_front();
    }
    if (times.size() >= max_) {
        return {false, 0};
    }
    times.push_back(now);
    return {true, static_cast<unsigned>(max_ - times.size())};
}

void RateLimiter::clear() {
    std::lock_guard lock(mutex_);
    requests_.clear();
}

} // namespace switchboard::sim
