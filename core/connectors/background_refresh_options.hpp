// The policy of the background refresh (see BackgroundRefresher): when a token is due, how
// many refreshes run at once, and how a connector whose refresh failed backs off. The config
// file's `refresh` section sets it (config/README.md).
#pragma once

#include <chrono>
#include <cstddef>

namespace switchboard::connectors {

struct BackgroundRefreshOptions {
    // How often a pass looks for due tokens.
    std::chrono::milliseconds interval{30000};
    // A token is due when it expires within `window` (the seed recommends 15 minutes)...
    std::chrono::seconds window{900};
    // ...plus a share of `jitter` fixed by the connector's id (store::refresh_jitter_offset),
    // so tokens issued together (an import, a mass reconnect) are not refreshed in one burst.
    std::chrono::seconds jitter{300};
    // Refreshes running at once in this instance, and at once against one provider.
    std::size_t concurrency = 4;
    std::size_t per_provider_concurrency = 2;
    // After a failed background refresh a connector is not tried again for
    // failure_backoff(failures, base, max); any successful refresh clears the count.
    std::chrono::seconds failure_backoff_base{60};
    std::chrono::seconds failure_backoff_max{3600};
    // Another instance does not take a connector this instance leased before this has passed;
    // the lease is renewed every third of it while the pass still works on it.
    std::chrono::seconds lease_duration{120};
    // Connectors leased per pass.
    std::size_t batch = 50;
};

// How long a connector waits after its `failures`-th consecutive failed refresh:
// base * 2^(failures - 1), at most `max` (base for failures <= 1).
constexpr std::chrono::seconds failure_backoff(int failures, std::chrono::seconds base,
                                               std::chrono::seconds max) {
    std::chrono::seconds wait = base;
    for (int i = 1; i < failures && wait < max; ++i) wait *= 2;
    return wait < max ? wait : max;
}

} // namespace switchboard::connectors
