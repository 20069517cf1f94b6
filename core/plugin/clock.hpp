// Wall-clock time as the host hands it to plugins (sb_host.now_unix_ms). Injectable so tests
// control time.
#pragma once

#include <atomic>
#include <cstdint>

namespace switchboard::plugin {

class Clock {
public:
    virtual ~Clock() = default;
    // Milliseconds since the Unix epoch. [thread-safe]
    virtual std::int64_t now_unix_ms() const noexcept = 0;
};

class SystemClock final : public Clock {
public:
    std::int64_t now_unix_ms() const noexcept override;
};

// A clock that stands still until a test moves it.
class ManualClock final : public Clock {
public:
    explicit ManualClock(std::int64_t start_unix_ms = 0) : now_(start_unix_ms) {}
    std::int64_t now_unix_ms() const noexcept override { return now_.load(); }
    void set(std::int64_t unix_ms) noexcept { now_.store(unix_ms); }
    void advance(std::int64_t ms) noexcept { now_.fetch_add(ms); }

private:
    std::atomic<std::int64_t> now_;
};

} // namespace switchboard::plugin
