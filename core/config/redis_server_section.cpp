#include "core/config/sections.hpp"

#include <boost/url/parse.hpp>

namespace switchboard::config::detail {

RedisServerConfig parse_redis_server(const ConfigSection& s, bool used,
                                     const ParseContext& context) {
    RedisServerConfig c;
    c.password_env = s.env_name("password_env");
    c.ca_file = s.file_path("redis_ca_file", context.base_dir);
    auto url = s.string("redis_url");
    if (!used) {
        for (const char* key : {"redis_url", "password_env", "redis_ca_file"}) {
            if (s.has(key)) {
                s.fail(key, "applies only when backend is redis");
            }
        }
        return c;
    }
    if (!url) {
        s.fail("redis_url", "is required when backend is redis (redis://host:port/db, or "
                            "rediss:// for TLS)");
    }
    auto parsed = boost::urls::parse_absolute_uri(*url);
    if (!parsed || (parsed->scheme() != "redis" && parsed->scheme() != "rediss") ||
        parsed->encoded_host().empty()) {
        s.fail("redis_url", "must be a redis://host[:port][/db] or rediss://host[:port][/db] URL");
    }
    if (parsed->has_userinfo()) {
        s.fail("redis_url", "must not contain credentials; put the password in an environment "
                            "variable and name that variable in '" +
                                s.path_of("password_env") + "'");
    }
    if (c.ca_file && parsed->scheme() != "rediss") {
        s.fail("redis_ca_file", "applies only to a rediss:// (TLS) redis_url");
    }
    c.url = *url;
    return c;
}

} // namespace switchboard::config::detail
