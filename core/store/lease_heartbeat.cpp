#include "core/store/lease_heartbeat.hpp"

#include <algorithm>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <mutex>
#include <thread>

namespace switchboard::store {
namespace {

using Clock = std::chrono::steady_clock;

// One thread renews every lease of the process. Leases are taken and given up many times a
// second (a refresh lock for each token refresh, a lease for each refresh pass), and a thread
// for each, started and joined every time, cost more than the work it guarded. A renewal that
// takes long delays the others by as much; they are database writes, which would wait for the
// same database anyway.
class Heartbeats {
public:
    static Heartbeats& shared() {
        static Heartbeats heartbeats;
        return heartbeats;
    }

    std::uint64_t add(std::chrono::milliseconds period, std::function<void()> renew) {
        std::lock_guard lock(mutex_);
        const auto id = next_id_++;
        entries_.emplace(id, Entry{Clock::now() + period, period, std::move(renew)});
        changed_.notify_all();
        return id;
    }

    // Returns once the lease's renewal is not running, and will not run again.
    void remove(std::uint64_t id) {
        std::unique_lock lock(mutex_);
        renewed_.wait(lock, [&] { return running_ != id; });
        entries_.erase(id);
    }

private:
    struct Entry {
        Clock::time_point due;
        std::chrono::milliseconds period;
        std::function<void()> renew;
    };

    Heartbeats() : thread_([this](std::stop_token stop) { run(stop); }) {}

    void run(std::stop_token stop) {
        std::unique_lock lock(mutex_);
        while (!stop.stop_requested()) {
            auto next = Clock::time_point::max();
            for (const auto& [id, entry] : entries_) next = std::min(next, entry.due);
            if (next > Clock::now()) {
                // Wakes when the next renewal is due, a lease is added (it may be due sooner),
                // or at exit. A spurious wake-up only scans again.
                const auto before = next_id_;
                changed_.wait_until(lock, stop, next, [&] { return next_id_ != before; });
                continue;
            }
            for (auto& [id, entry] : entries_) {
                if (entry.due > Clock::now()) continue;
                running_ = id;
                lock.unlock();
                entry.renew(); // `entry` stays: remove() waits while running_ is its id
                lock.lock();
                running_ = 0;
                entry.due = Clock::now() + entry.period;
                renewed_.notify_all();
                break; // entries_ may have changed meanwhile: scan again
            }
        }
    }

    std::mutex mutex_;
    std::condition_variable_any changed_;
    std::condition_variable renewed_;
    std::map<std::uint64_t, Entry> entries_;
    std::uint64_t next_id_ = 1;
    std::uint64_t running_ = 0; // the lease whose renewal runs now (0: none)
    std::jthread thread_;       // last: starts once the rest is built, stops first
};

} // namespace

LeaseHeartbeat::LeaseHeartbeat(std::chrono::milliseconds period, std::function<void()> renew)
    : id_(Heartbeats::shared().add(period, std::move(renew))) {}

LeaseHeartbeat::~LeaseHeartbeat() { Heartbeats::shared().remove(id_); }

std::chrono::milliseconds heartbeat_period(std::chrono::milliseconds lease) {
    return std::max(std::chrono::milliseconds(1), lease / 3);
}

} // namespace switchboard::store
