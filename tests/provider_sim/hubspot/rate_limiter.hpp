// HubSpot's per-account rolling-window limits (rateLimits in the HubSpot description): the
// burst limit of OAuth apps (100 per 10 s) and the search limit (5 per second). Time is the
// simulator's clock, so a test can move past a window instead of waiting.
#pragma once

#include "tests/provider_sim/common/clock.hpp"

#include <chrono>
#include <cstdint>
#include <deque>
#include <map>
#include <mutex>
#include <string>

namespace switchboard::sim {

class RateLimiter {
public:
    RateLimiter(const Clock& clock, std::string policy_name, unsigned max, std::chrono::milliseconds window)
        : clock_(clock), policy_name_(std::move(policy_name)), max_(max), window_(window) {}

    struct Outcome {
        bool allowed = true;
        unsigned remaining = 0; // after this request
    };
    // [thread-safe] Counts a request of `account` if it is within the limit.
    Outcome take(std::int64_t account);
    void clear();

    const std::string& policy_name() const { return policy_name_; }
    unsigned max() const { return max_; }
    std::chrono::milliseconds window() const { return window_; }

private:
    const Clock& clock_;
    std::string policy_name_;
    unsigned max_;
    std::chrono::milliseconds window_;
    std::mutex mutex_;
    std::map<std::int64_t, std::deque<TimePoint>> requests_;
};

} // namespace switchboard::sim
