// The deadline of one plugin call and whether the host has given up on it. Shared by the
// thread that waits for the call and the one (or the process) that runs it; what the
// switchboard.deadline/1 extension reports to the plugin.
#pragma once

#include <atomic>
#include <chrono>
#include <optional>

namespace switchboard::plugin {

class CallDeadline {
public:
    using Clock = std::chrono::steady_clock;

    // `at`: when the host stops waiting (nullopt: never).
    explicit CallDeadline(std::optional<Clock::time_point> at) noexcept : at_(at) {}

    // A deadline `timeout` from now, or `limit` when that is earlier.
    static CallDeadline after(std::chrono::milliseconds timeout,
                              std::optional<Clock::time_point> limit = std::nullopt) noexcept {
        const Clock::time_point own = Clock::now() + timeout;
        return CallDeadline(limit && *limit < own ? *limit : own);
    }

    CallDeadline(const CallDeadline& other) noexcept
        : at_(other.at_), cancelled_(other.cancelled_.load()) {}
    CallDeadline& operator=(const CallDeadline&) = delete;

    std::optional<Clock::time_point> at() const noexcept { return at_; }

    // Time left, zero once passed; nullopt without a deadline. [thread-safe]
    std::optional<std::chrono::milliseconds> remaining() const noexcept {
        if (!at_) {
            return std::nullopt;
        }
        const auto left = std::chrono::ceil<std::chrono::milliseconds>(*at_ - Clock::now());
        return left.count() > 0 ? left : std::chrono::milliseconds(0);
    }

    bool expired() const noexcept { return at_ && Clock::now() >= *at_; }

    // The host has given up: the deadline passed or cancel() was called. [thread-safe]
    bool cancelled() const noexcept { return cancelled_.load() || expired(); }
    void cancel() noexcept { cancelled_.store(true); }

private:
    std::optional<Clock::time_point> at_;
    std::atomic<bool> cancelled_{false};
};

} // namespace switchboard::plugin
