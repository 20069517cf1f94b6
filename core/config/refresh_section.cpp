#include "core/config/sections.hpp"

namespace switchboard::config::detail {

RefreshConfig parse_refresh_section(const ConfigSection& s) {
    constexpr std::uint32_t day = 86'400;
    RefreshConfig c;
    c.window_seconds =
        s.integer_as<std::uint32_t>("window_seconds", 60, day).value_or(c.window_seconds);
    c.jitter_seconds =
        s.integer_as<std::uint32_t>("jitter_seconds", 0, day).value_or(c.jitter_seconds);
    c.interval_seconds =
        s.integer_as<std::uint32_t>("interval_seconds", 1, 3600).value_or(c.interval_seconds);
    c.concurrency = s.integer_as<std::uint32_t>("concurrency", 1, 64).value_or(c.concurrency);
    c.per_provider_concurrency = s.integer_as<std::uint32_t>("per_provider_concurrency", 1, 64)
                                     .value_or(c.per_provider_concurrency);
    c.failure_backoff_base_seconds =
        s.integer_as<std::uint32_t>("failure_backoff_base_seconds", 1, day)
            .value_or(c.failure_backoff_base_seconds);
    c.failure_backoff_max_seconds =
        s.integer_as<std::uint32_t>("failure_backoff_max_seconds", 1, 7 * day)
            .value_or(c.failure_backoff_max_seconds);
    c.lease_seconds = s.integer_as<std::uint32_t>("lease_seconds", 6, 3600).value_or(c.lease_seconds);
    if (c.failure_backoff_max_seconds < c.failure_backoff_base_seconds) {
        s.fail("failure_backoff_max_seconds",
               "must be at least failure_backoff_base_seconds (" +
                   std::to_string(c.failure_backoff_base_seconds) + ")");
    }
    return c;
}

} // namespace switchboard::config::detail
