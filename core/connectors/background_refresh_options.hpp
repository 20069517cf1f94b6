// How often and how far ahead the background refresh works (see BackgroundRefresher).
#pragma once

#include <chrono>
#include <cstddef>

namespace switchboard::connectors {

struct BackgroundRefreshOptions {
    std::chrono::milliseconds interval{30000};
    // Refresh tokens that expire within this.
    std::chrono::seconds refresh_ahead{300};
    // A leased row is not handed out again before this (the instance may have died); also
    // the back-off after a failed refresh.
    std::chrono::seconds lease_duration{120};
    std::size_t batch = 50;
};

} // namespace switchboard::connectors
