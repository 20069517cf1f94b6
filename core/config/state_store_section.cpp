#include "core/config/sections.hpp"

namespace switchboard::config::detail {

StateStoreConfig parse_state_store_section(const ConfigSection& s, const ParseContext& context) {
    StateStoreConfig c;
    if (auto backend = s.choice("backend", {"sql", "redis"})) {
        c.backend = *backend == "redis" ? StateStoreBackend::redis : StateStoreBackend::sql;
    }
    c.ttl_seconds = s.integer_as<std::uint32_t>("ttl_seconds", 30, 3600).value_or(c.ttl_seconds);
    c.timeout_ms = s.integer_as<std::uint32_t>("timeout_ms", 1, 60'000).value_or(c.timeout_ms);
    c.redis = parse_redis_server(s, c.backend == StateStoreBackend::redis, context);
    return c;
}

} // namespace switchboard::config::detail
