// The simulator's notion of "now". Tests move it forward to expire codes and tokens
// without sleeping.
#pragma once

#include <atomic>
#include <chrono>

namespace switchboard::sim {

using TimePoint = std::chrono::system_clock::time_point;

class Clock {
public:
    TimePoint now() const {
        return std::chrono::system_clock::now() + std::chrono::seconds(offset_seconds_.load());
    }
    // [thread-safe] Moves the simulated time forward (never backward).
    void advance(std::chrono::seconds by) {
        if (by.count() > 0) {
            offset_seconds_ += by.count();
        }
    }
    void reset() { offset_seconds_ = 0; }

private:
    std::atomic<long long> offset_seconds_{0};
};

} // namespace switchboard::sim
