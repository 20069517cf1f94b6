#include "core/config/sections.hpp"

namespace switchboard::config::detail {

ProxyConfig parse_proxy_section(const ConfigSection& s) {
    constexpr std::uint64_t tebibyte = 1024ull * 1024 * 1024 * 1024;
    ProxyConfig c;
    c.max_request_bytes = s.integer_as<std::uint64_t>("max_request_bytes", 1, tebibyte)
                              .value_or(c.max_request_bytes);
    c.max_response_bytes = s.integer_as<std::uint64_t>("max_response_bytes", 0, tebibyte)
                               .value_or(c.max_response_bytes);
    c.timeout_seconds =
        s.integer_as<std::uint32_t>("timeout_seconds", 1, 86'400).value_or(c.timeout_seconds);
    c.idle_timeout_seconds = s.integer_as<std::uint32_t>("idle_timeout_seconds", 1, 3600)
                                 .value_or(c.idle_timeout_seconds);
    c.replay_buffer_bytes = s.integer_as<std::uint32_t>("replay_buffer_bytes", 0, 64 * 1024 * 1024)
                                .value_or(c.replay_buffer_bytes);
    if (c.idle_timeout_seconds > c.timeout_seconds) {
        s.fail("idle_timeout_seconds",
               "must be at most timeout_seconds (" + std::to_string(c.timeout_seconds) + ")");
    }
    return c;
}

} // namespace switchboard::config::detail
