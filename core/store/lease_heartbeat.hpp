// LeaseHeartbeat: keeps a lease alive for exactly as long as the work under it runs. A lease
// sized for the "usual" work lapses when the work takes longer (a slow provider, a long
// batch), and then a second instance starts the same work; renewing it every `period` (a
// third of its length, so one missed renewal does not lose it) ties its life to the holder's:
// while the holder runs, the lease holds; when the holder dies, it lapses.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>

namespace switchboard::store {

class LeaseHeartbeat {
public:
    // Calls `renew` every `period` until destroyed, on the one thread that renews every lease
    // of the process. `renew` must not throw, and must be safe to call while the owner uses
    // the same data (take a lock).
    LeaseHeartbeat(std::chrono::milliseconds period, std::function<void()> renew);
    // Stops the renewals (a renewal in progress finishes first).
    ~LeaseHeartbeat();
    LeaseHeartbeat(const LeaseHeartbeat&) = delete;
    LeaseHeartbeat& operator=(const LeaseHeartbeat&) = delete;

private:
    std::uint64_t id_;
};

// A third of `lease`, at least 1 ms: how often a lease of that length is renewed.
std::chrono::milliseconds heartbeat_period(std::chrono::milliseconds lease);

} // namespace switchboard::store
