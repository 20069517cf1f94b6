#include "core/connectors/runtime_config.hpp"

#include "core/connectors/connector_manager.hpp"
#include "core/http/http_url.hpp"

#include <boost/url/parse.hpp>
#include <boost/url/url.hpp>

#include <charconv>

namespace switchboard::connectors {

Result<std::string> database_url(const config::DatabaseConfig& config,
                                 const config::Environment& environment) {
    if (config.backend == config::DatabaseBackend::sqlite) {
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
        auto read = config::read_secret(environment, *config.password_env);
        if (!read) return read.error();
        auto& password = *read;
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

namespace {

// The client options for the Redis server the config of `section` (state_store, rate_limits)
// names: its URL, its password's variable, its connect and command timeout.
Result<redis::RedisOptions> redis_client_options(std::string_view section,
                                                 const config::RedisServerConfig& server,
                                                 std::uint32_t timeout_ms,
                                                 const config::Environment& environment) {
    const std::string url_key = std::string(section) + ".redis_url";
    const std::string password_key = std::string(section) + ".password_env";
    auto invalid = [&] {
        return Error(ErrorKind::invalid_input, "invalid_redis_url",
                     url_key + " must be redis://host[:port][/db] or rediss://host[:port][/db]",
                     url_key);
    };
    auto parsed = boost::urls::parse_absolute_uri(server.url);
    if (!parsed || parsed->encoded_host().empty()) return invalid();
    if (parsed->scheme() != "redis" && parsed->scheme() != "rediss") return invalid();
    redis::RedisOptions options;
    if (parsed->scheme() == "rediss") {
        options.tls = redis::RedisTlsOptions{server.ca_file ? server.ca_file->string() : ""};
    }
    options.connect_timeout = std::chrono::milliseconds(timeout_ms);
    options.command_timeout = std::chrono::milliseconds(timeout_ms);
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
    if (server.password_env) {
        auto read = config::read_secret(environment, *server.password_env);
        if (!read) return read.error();
        auto& password = *read;
        if (!password) {
            return Error(ErrorKind::invalid_input, "redis_password_missing",
                         "environment variable " + *server.password_env + " (" + password_key +
                             ") is not set",
                         password_key);
        }
        options.password = std::move(*password);
    }
    return options;
}

constexpr std::size_t min_webhook_secret_length = 16;

} // namespace

Result<redis::RedisOptions> redis_options(const config::StateStoreConfig& config,
                                          const config::Environment& environment) {
    return redis_client_options("state_store", config.redis, config.timeout_ms, environment);
}

Result<redis::RedisOptions> rate_limit_redis_options(const config::RateLimitsConfig& config,
                                                     const config::Environment& environment) {
    auto options = redis_client_options("rate_limits", config.redis, config.timeout_ms, environment);
    if (!options) return options.error();
    options->role = "the rate limits' Redis";
    options->error_code = "rate_limit_store_unavailable";
    return options;
}

Result<std::vector<events::WebhookEndpoint>> webhook_endpoints(
    const config::EventsConfig& config, const config::Environment& environment) {
    std::vector<events::WebhookEndpoint> out;
    for (std::size_t i = 0; i < config.webhooks.size(); ++i) {
        const config::WebhookConfig& webhook = config.webhooks[i];
        const std::string field = "events.webhooks[" + std::to_string(i) + "].secret_env";
        auto read = config::read_secret(environment, webhook.secret_env);
        if (!read) return read.error();
        auto& secret = *read;
        if (!secret || secret->empty()) {
            return Error(ErrorKind::invalid_input, "webhook_secret_missing",
                         "environment variable " + webhook.secret_env + " (" + field +
                             ", the signing secret of webhook " + webhook.name + ") is not set",
                         field);
        }
        if (secret->size() < min_webhook_secret_length) {
            return Error(ErrorKind::invalid_input, "webhook_secret_too_short",
                         "environment variable " + webhook.secret_env + " (" + field +
                             ") holds fewer than " + std::to_string(min_webhook_secret_length) +
                             " characters; use a random secret (e.g. `openssl rand -hex 32`)",
                         field);
        }
        out.push_back(events::WebhookEndpoint{webhook.name, webhook.url, std::move(*secret)});
    }
    return out;
}

events::WebhookDeliveryOptions webhook_delivery_options(const config::EventsConfig& config) {
    events::WebhookDeliveryOptions options;
    options.poll_interval = std::chrono::milliseconds(config.poll_interval_ms);
    options.batch = config.batch;
    options.concurrency = config.concurrency;
    options.timeout = std::chrono::milliseconds(config.timeout_ms);
    options.retry_base = std::chrono::seconds(config.retry_base_seconds);
    options.retry_max = std::chrono::seconds(config.retry_max_seconds);
    options.lease = std::chrono::seconds(config.lease_seconds);
    return options;
}

std::string callback_redirect_uri(const config::PublicUrlsConfig& urls) {
    std::string base = urls.api_base_url;
    while (!base.empty() && base.back() == '/') base.pop_back();
    return base + std::string(callback_path);
}

std::string frontend_url(const config::PublicUrlsConfig& urls) {
    std::string url = urls.frontend_url.value_or(urls.api_base_url);
    while (!url.empty() && url.back() == '/') url.pop_back();
    return url;
}

BackgroundRefreshOptions background_refresh_options(const config::RefreshConfig& config) {
    BackgroundRefreshOptions options;
    options.interval = std::chrono::seconds(config.interval_seconds);
    options.window = std::chrono::seconds(config.window_seconds);
    options.jitter = std::chrono::seconds(config.jitter_seconds);
    options.concurrency = config.concurrency;
    options.per_provider_concurrency = config.per_provider_concurrency;
    options.failure_backoff_base = std::chrono::seconds(config.failure_backoff_base_seconds);
    options.failure_backoff_max = std::chrono::seconds(config.failure_backoff_max_seconds);
    options.lease_duration = std::chrono::seconds(config.lease_seconds);
    return options;
}

ProxyOptions proxy_options(const config::ProxyConfig& config) {
    ProxyOptions options;
    options.max_request_bytes = config.max_request_bytes;
    options.max_response_bytes = config.max_response_bytes;
    options.timeout = std::chrono::seconds(config.timeout_seconds);
    options.idle_timeout = std::chrono::seconds(config.idle_timeout_seconds);
    options.replay_buffer_bytes = config.replay_buffer_bytes;
    return options;
}

bool providers_use_loopback(const plugin::ProviderRegistry& registry) {
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
    for (const plugin::ProviderEntry* entry : registry.list()) {
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
