// One small parser per top-level section of the config file. Internal to core/config: each
// throws ConfigError (naming the key path) on a bad value; config_loader.cpp calls them.
#pragma once

#include "core/config/config.hpp"
#include "core/config/config_section.hpp"
#include "core/config/environment.hpp"

#include <filesystem>

namespace switchboard::config::detail {

// What every section parser may need besides its own JSON.
struct ParseContext {
    std::filesystem::path base_dir; // the config file's directory: relative paths start here
    const Environment& env;
};

ServerConfig parse_server_section(const ConfigSection& section, const ParseContext& context);
LogConfig parse_log_section(const ConfigSection& section);
PluginsConfig parse_plugins_section(const ConfigSection& section, const ParseContext& context);
DatabaseConfig parse_database_section(const ConfigSection& section, const ParseContext& context);
// redis_url, password_env and redis_ca_file of a section that may use Redis: required and
// checked when `used`, refused when not (they would be ignored).
RedisServerConfig parse_redis_server(const ConfigSection& section, bool used,
                                     const ParseContext& context);
StateStoreConfig parse_state_store_section(const ConfigSection& section,
                                           const ParseContext& context);
// `section` may be absent: the environment overrides still apply, and the API base URL
// defaults to http://<server.listen>:<server.port>.
PublicUrlsConfig parse_public_urls_section(const ConfigSection* section,
                                           const ServerConfig& server,
                                           const ParseContext& context);
AuthConfig parse_auth_section(const ConfigSection& section, const ParseContext& context);
ConnectConfig parse_connect_section(const ConfigSection& section);
RefreshConfig parse_refresh_section(const ConfigSection& section);
EventsConfig parse_events_section(const ConfigSection& section);
// The defaults of the shipped providers, with the section's entries replacing them.
RateLimitsConfig parse_rate_limits_section(const ConfigSection& section,
                                           const ParseContext& context);
McpConfig parse_mcp_section(const ConfigSection& section);
ProxyConfig parse_proxy_section(const ConfigSection& section);
std::map<std::string, ProviderConfig> parse_providers_section(const ConfigSection& section);

} // namespace switchboard::config::detail
