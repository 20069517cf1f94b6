#include "core/config/config_loader.hpp"

#include "core/config/sections.hpp"

#include <nlohmann/json.hpp>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

namespace switchboard::config {

using detail::ConfigError;
using detail::ConfigSection;
using detail::ParseContext;

namespace {

Error invalid(const std::string& key_path, const std::string& message) {
    return Error(ErrorKind::invalid_input, "invalid_config", message, key_path);
}

Config parse_document(const nlohmann::json& document, const ParseContext& context) {
    ConfigSection root(document, "",
                       {"server", "log", "plugins", "database", "state_store", "public_urls",
                        "auth", "refresh", "connect", "mcp", "proxy", "events", "rate_limits",
                        "providers"});
    Config c;
    if (auto s = root.section("server", {"listen", "port", "metrics_listen", "metrics_port",
                                         "io_threads", "worker_threads", "worker_queue_limit",
                                         "body_limit_bytes", "authenticated_body_limit_bytes",
                                         "header_limit_bytes", "max_connections",
                                         "max_connections_per_address", "retry_after_seconds",
                                         "read_timeout_ms", "idle_timeout_ms", "pipeline_limit",
                                         "shutdown_grace_ms", "cors", "tls"})) {
        c.server = detail::parse_server_section(*s, context);
    }
    if (auto s = root.section("log", {"format", "level"})) {
        c.log = detail::parse_log_section(*s);
    }
    if (auto s = root.section("plugins", {"directory"})) {
        c.plugins = detail::parse_plugins_section(*s, context);
    }
    if (auto s = root.section("database", {"url", "password_env", "sqlite_synchronous"})) {
        c.database = detail::parse_database_section(*s, context);
    } else {
        c.database.sqlite_path = (context.base_dir / "var" / "switchboard.db").lexically_normal();
    }
    if (auto s = root.section("state_store",
                              {"backend", "redis_url", "password_env", "redis_ca_file",
                               "ttl_seconds", "timeout_ms"})) {
        c.state_store = detail::parse_state_store_section(*s, context);
    }
    auto urls = root.section("public_urls", {"api_base_url", "frontend_url"});
    c.public_urls = detail::parse_public_urls_section(urls ? &*urls : nullptr, c.server, context);
    if (auto s = root.section("auth", {"jwt", "api_keys"})) {
        c.auth = detail::parse_auth_section(*s, context);
    }
    if (auto s = root.section("connect", {"confirmation", "sweep_interval_seconds"})) {
        c.connect = detail::parse_connect_section(*s);
    }
    if (auto s = root.section("refresh",
                              {"window_seconds", "jitter_seconds", "interval_seconds",
                               "concurrency", "per_provider_concurrency",
                               "failure_backoff_base_seconds", "failure_backoff_max_seconds",
                               "lease_seconds"})) {
        c.refresh = detail::parse_refresh_section(*s);
    }
    if (auto s = root.section("mcp", {"allowed_origins", "session_idle_timeout_seconds",
                                      "max_sessions"})) {
        c.mcp = detail::parse_mcp_section(*s);
    }
    if (auto s = root.section("proxy", {"max_request_bytes", "max_response_bytes",
                                        "timeout_seconds", "idle_timeout_seconds",
                                        "replay_buffer_bytes"})) {
        c.proxy = detail::parse_proxy_section(*s);
    }
    if (auto s = root.section("events", {"webhooks", "retention_days", "poll_interval_ms",
                                         "batch", "concurrency", "timeout_ms",
                                         "retry_base_seconds", "retry_max_seconds",
                                         "lease_seconds"})) {
        c.events = detail::parse_events_section(*s);
    }
    if (auto s = root.section("rate_limits", {"enabled", "backend", "redis_url", "password_env",
                                              "redis_ca_file", "timeout_ms", "max_wait_ms",
                                              "providers"})) {
        c.rate_limits = detail::parse_rate_limits_section(*s, context);
    }
    if (const auto* providers = root.value("providers")) {
        c.providers =
            detail::parse_providers_section(ConfigSection::with_any_keys(*providers, "providers"));
    }
    return c;
}

} // namespace

Result<Config> parse_config(const nlohmann::json& document, const std::filesystem::path& base_dir,
                            const Environment& env) {
    try {
        return parse_document(document, ParseContext{base_dir, env});
    } catch (const ConfigError& e) {
        return invalid(e.key_path(), e.message());
    }
}

Result<Config> parse_config_text(std::string_view text, const std::filesystem::path& base_dir,
                                 const Environment& env) {
    nlohmann::json document;
    try {
        document = nlohmann::json::parse(text);
    } catch (const nlohmann::json::parse_error& e) {
        // nlohmann's message carries the line and column.
        return invalid("", std::string("invalid JSON: ") + e.what());
    } catch (const nlohmann::json::out_of_range& e) {
        // A number too large for a double ("1e999").
        return invalid("", std::string("invalid JSON: ") + e.what());
    }
    return parse_config(document, base_dir, env);
}

Result<Config> load_config_file(const std::filesystem::path& path, const Environment& env) {
    std::error_code ec;
    auto absolute = std::filesystem::absolute(path, ec).lexically_normal();
    if (ec) {
        absolute = path;
    }
    std::ifstream in(absolute, std::ios::binary);
    if (!in) {
        return Error(ErrorKind::not_found, "config_not_found",
                     "cannot read config file " + absolute.string() + ": " +
                         std::strerror(errno)); // NOLINT(concurrency-mt-unsafe)
    }
    std::ostringstream text;
    text << in.rdbuf();
    auto config = parse_config_text(text.str(), absolute.parent_path(), env);
    if (!config) {
        Error e = config.error();
        e.message = absolute.string() + ": " + e.message;
        return e;
    }
    config->source = absolute;
    return config;
}

} // namespace switchboard::config
