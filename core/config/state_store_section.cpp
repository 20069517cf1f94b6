#include "core/config/sections.hpp"

#include <boost/url/parse.hpp>

namespace switchboard::config_detail {

StateStoreConfig parse_state_store_section(const ConfigSection& s) {
    StateStoreConfig c;
    if (auto backend = s.choice("backend", {"sql", "redis"})) {
        c.backend = *backend == "redis" ? StateStoreBackend::redis : StateStoreBackend::sql;
    }
    c.ttl_seconds = s.integer_as<std::uint32_t>("ttl_seconds", 30, 3600).value_or(c.ttl_seconds);
    c.timeout_ms = s.integer_as<std::uint32_t>("timeout_ms", 1, 60'000).value_or(c.timeout_ms);
    c.password_env = s.env_name("password_env");
    auto url = s.string("redis_url");
    if (c.backend == StateStoreBackend::sql) {
        if (url) {
            s.fail("redis_url", "applies only when backend is redis");
        }
        if (c.password_env) {
            s.fail("password_env", "applies only when backend is redis");
        }
        return c;
    }
    if (!url) {
        s.fail("redis_url", "is required when backend is redis (redis://host:port/db)");
    }
    auto parsed = boost::urls::parse_absolute_uri(*url);
    if (!parsed || (parsed->scheme() != "redis" && parsed->scheme() != "rediss") ||
        parsed->encoded_host().empty()) {
        s.fail("redis_url", "must be a redis://host[:port][/db] URL");
    }
    if (parsed->has_userinfo()) {
        s.fail("redis_url", "must not contain credentials; put the password in an environment "
                            "variable and name that variable in 'state_store.password_env'");
    }
    c.redis_url = *url;
    return c;
}

} // namespace switchboard::config_detail
