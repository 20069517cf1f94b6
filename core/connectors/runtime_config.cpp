#include "core/connectors/runtime_config.hpp"

#include "core/connectors/connector_manager.hpp"
#include "core/http/http_url.hpp"

#include <boost/url/parse.hpp>
#include <boost/url/url.hpp>

#include <charconv>

namespace switchboard::connectors {

Result<std::string> database_url(const DatabaseConfig& config, const Environment& environment) {
    if (config.backend == DatabaseBackend::sqlite) {
        const std::string path = config.sqlite_path.string();
        if (path == ":memory:") return std::string("sqlite::memory:");
        return "sqlite://" + path;
    }
    auto parsed = boost::urls::parse_absolute_uri(config.postgresql_url);
    if (!parsed) {
        return Error(ErrorKind::invalid_input, "invalid_database_url",
                     "database.url is not a valid postgresql:// URL", "database.url");
    }
    boost::urls::url url(*parsed);
    if (config.password_env) {
        auto password = environment.get(*config.password_env);
        if (!password) {
            return Error(ErrorKind::invalid_input, "database_password_missing",
                         "environment variable " + *config.password_env +
                             " (database.password_env) is not set",
                         "database.password_env");
        }
        url.set_password(*password);
    }
    return std::string(url.buffer());
}

Result<oauth::RedisOptions> redis_options(const StateStoreConfig& config,
                                          const Environment& environment) {
    auto invalid = [] {
        return Error(ErrorKind::invalid_input, "invalid_redis_url",
                     "state_store.redis_url must be redis://host[:port][/db]",
                     "state_store.redis_url");
    };
    auto parsed = boost::urls::parse_absolute_uri(config.redis_url);
    if (!parsed || parsed->encoded_host().empty()) return invalid();
    if (parsed->scheme() == "rediss") {
        return Error(ErrorKind::unsupported, "redis_tls_unsupported",
                     "state_store.redis_url: rediss:// (TLS) is not supported by this build; use "
                     "redis:// on a trusted network or a TLS tunnel",
                     "state_store.redis_url");
    }
    if (parsed->scheme() != "redis") return invalid();
    oauth::RedisOptions options;
    options.host = std::string(parsed->host());
    if (options.host.size() > 2 && options.host.front() == '[' && options.host.back() == ']') {
        options.host = options.host.substr(1, options.host.size() - 2);
    }
    if (parsed->has_port()) {
        if (parsed->port_number() == 0) return invalid();
        options.port = parsed->port_number();
    }
    std::string path(parsed->path());
    if (!path.empty() && path != "/") {
        std::string_view digits = std::string_view(path).substr(1);
        int database = 0;
        auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), database);
        if (ec != std::errc() || end != digits.data() + digits.size() || database < 0) {
            return invalid();
        }
        options.database = database;
    }
    if (config.password_env) {
        auto password = environment.get(*config.password_env);
        if (!password) {
            return Error(ErrorKind::invalid_input, "redis_password_missing",
                         "environment variable " + *config.password_env +
                             " (state_store.password_env) is not set",
                         "state_store.password_env");
        }
        options.password = std::move(*password);
    }
    options.connect_timeout = std::chrono::milliseconds(config.timeout_ms);
    options.command_timeout = std::chrono::milliseconds(config.timeout_ms);
    return options;
}

std::string callback_redirect_uri(const PublicUrlsConfig& urls) {
    std::string base = urls.api_base_url;
    while (!base.empty() && base.back() == '/') base.pop_back();
    return base + std::string(callback_path);
}

std::string frontend_url(const PublicUrlsConfig& urls) {
    std::string url = urls.frontend_url.value_or(urls.api_base_url);
    while (!url.empty() && url.back() == '/') url.pop_back();
    return url;
}

BackgroundRefreshOptions background_refresh_options(const RefreshConfig& config) {
    BackgroundRefreshOptions options;
    options.interval = std::chrono::seconds(config.interval_seconds);
    options.window = std::chrono::seconds(config.window_seconds);
    options.jitter = std::chrono::seconds(config.jitter_seconds);
    options.concurrency = config.concurrency;
    options.per_provider_concurrency = config.per_provider_concurrency;
    options.failure_backoff_base = std::chrono::seconds(config.failure_backoff_base_seconds);
    options.failure_backoff_max = std::chrono::seconds(config.failure_backoff_max_seconds);
    return options;
}

ProxyOptions proxy_options(const ProxyConfig& config) {
    ProxyOptions options;
    options.max_request_bytes = config.max_request_bytes;
    options.max_response_bytes = config.max_response_bytes;
    options.timeout = std::chrono::seconds(config.timeout_seconds);
    options.idle_timeout = std::chrono::seconds(config.idle_timeout_seconds);
    options.replay_buffer_bytes = config.replay_buffer_bytes;
    return options;
}

bool providers_use_loopback(const ProviderRegistry& registry) {
    auto loopback = [](const std::string& url) {
        if (url.empty()) return false;
        auto target = http::parse_http_url(url);
        // A {token} placeholder may make the URL unparsable here; its host still decides.
        if (!target) {
            auto parsed = boost::urls::parse_uri_reference(url);
            return parsed && http::is_loopback_host(std::string(parsed->host()));
        }
        return http::is_loopback_host(target->host);
    };
    for (const ProviderEntry* entry : registry.list()) {
        if (!entry->config.enabled || !entry->descriptor) continue;
        const auto& d = *entry->descriptor;
        for (const auto* url : {&d.api_base_url, &d.oauth.authorize_url, &d.oauth.token_url,
                                &d.oauth.revoke_url, &d.oauth.identity_url}) {
            if (loopback(*url)) return true;
        }
    }
    return false;
}

} // namespace switchboard::connectors
