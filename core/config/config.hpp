// The host's configuration, as owned values. The file format is documented in
// config/README.md; config_loader.hpp turns a file into a Config. Secrets are never stored
// here: the config names the environment variables that hold them (`*_env` fields), and the
// module that needs a secret reads it from the Environment when it needs it.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace switchboard::config {

// `server.cors`: which browser origins may call the API (none by default).
struct CorsConfig {
    std::vector<std::string> allowed_origins; // "https://app.example.com", lower case
    bool allow_credentials = false;
    std::uint32_t max_age_seconds = 600;
};

// `server.tls`: HTTPS on the listener, for deployments without a terminating proxy. Both
// files are PEM; relative paths start at the config file's directory. The host checks the
// files when it starts and reads them again on SIGHUP (host/server/tls_credentials.hpp).
struct ServerTlsConfig {
    std::filesystem::path certificate_file; // the certificate, then its intermediates
    std::filesystem::path private_key_file; // unencrypted; not writable by group or others
};

// `server`: the HTTP listener and its limits.
struct ServerConfig {
    std::string listen = "127.0.0.1"; // an IPv4 or IPv6 address literal
    std::uint16_t port = 8080;        // 0 lets the system choose (tests)
    // When metrics_port is set, /metrics is served on metrics_listen:metrics_port only.
    std::string metrics_listen = "127.0.0.1";
    std::optional<std::uint16_t> metrics_port;
    std::uint32_t io_threads = 2;
    std::uint32_t worker_threads = 4;
    std::uint32_t worker_queue_limit = 128;
    // Every body before authentication, and every route's but the actions'.
    std::uint64_t body_limit_bytes = 64 * 1024;
    // The actions routes' once the caller is authenticated: drive uploads travel base64 in JSON.
    std::uint64_t authenticated_body_limit_bytes = 16ull * 1024 * 1024;
    std::uint32_t header_limit_bytes = 16 * 1024;
    std::uint32_t max_connections = 1024;
    std::uint32_t max_connections_per_address = 64; // 0: no per-address cap
    std::uint32_t retry_after_seconds = 5;
    std::uint32_t read_timeout_ms = 30'000;
    std::uint32_t idle_timeout_ms = 60'000;
    std::uint32_t pipeline_limit = 16;
    std::uint32_t shutdown_grace_ms = 10'000;
    CorsConfig cors;
    std::optional<ServerTlsConfig> tls; // absent: plain HTTP
};

enum class LogFormat { text, json };
enum class LogLevel { trace, debug, info, warning, error, critical, off };

// `log`
struct LogConfig {
    LogFormat format = LogFormat::text;
    LogLevel level = LogLevel::info;
};

// `plugins`
struct PluginsConfig {
    // Absolute (resolved against the config file's directory). When absent, the host looks
    // beside its executable (see host/app/paths.hpp).
    std::optional<std::filesystem::path> directory;
};

enum class DatabaseBackend { sqlite, postgresql };

// `database`
struct DatabaseConfig {
    DatabaseBackend backend = DatabaseBackend::sqlite;
    // sqlite: the database file, absolute (or ":memory:").
    std::filesystem::path sqlite_path;
    // postgresql: the URL as written, which never holds a password.
    std::string postgresql_url;
    // postgresql: the environment variable holding the password, if any.
    std::optional<std::string> password_env;
    // sqlite: PRAGMA synchronous FULL (fsync at every commit) instead of NORMAL (at checkpoints).
    bool sqlite_synchronous_full = false;
};

enum class StateStoreBackend { sql, redis };

// `state_store`: where OAuth state (PKCE verifier, 5-minute TTL) lives.
// The Redis server of a section whose backend is Redis (state_store, rate_limits).
struct RedisServerConfig {
    std::string url;                          // redis[s]://host[:port][/db], no password
    std::optional<std::string> password_env;  // variable holding the AUTH password
    std::optional<std::filesystem::path> ca_file; // rediss only: a private CA, absolute
};

struct StateStoreConfig {
    StateStoreBackend backend = StateStoreBackend::sql;
    RedisServerConfig redis;                  // redis only
    std::uint32_t ttl_seconds = 300;
    std::uint32_t timeout_ms = 2'000;
};

// `public_urls`: how the outside world reaches the host (OAuth redirect URIs are built from
// api_base_url). The environment variables API_BASE_URL and FRONTEND_URL override the file.
struct PublicUrlsConfig {
    std::string api_base_url; // no trailing slash
    std::optional<std::string> frontend_url;
};

// `auth.jwt`: bearer JWTs from the product's identity provider.
struct JwtConfig {
    std::optional<std::string> hs256_secret_env;        // variable holding the HMAC secret
    std::optional<std::filesystem::path> jwks_file;     // absolute; public keys for RS*/ES*
    // The identity provider's published keys (https, or http to loopback), fetched at
    // start-up, again after jwks_max_age_seconds, and on a token with an unknown key id at
    // most once per jwks_min_refetch_seconds.
    std::optional<std::string> jwks_url;
    std::uint32_t jwks_max_age_seconds = 300;
    std::uint32_t jwks_min_refetch_seconds = 30;
    std::vector<std::string> algorithms;                // e.g. {"RS256", "ES256"}
    std::optional<std::string> issuer;                  // required `iss` when set
    std::optional<std::string> audience;                // required in `aud` when set
    // Without issuer (audience), tokens of any issuer (for any audience) signed by a
    // configured key are accepted: only when the file says so explicitly.
    bool allow_any_issuer = false;
    bool allow_any_audience = false;
    std::string tenant_claim = "tenant_id";
    std::string user_claim = "sub";
    std::uint32_t leeway_seconds = 60;
};

// One entry of `auth.api_keys`. The file holds only the SHA-256 of the key.
struct ApiKeyEntry {
    std::string key_sha256; // 64 lowercase hex digits
    std::string tenant_id;
    std::string user_id;
};

// `auth`
struct AuthConfig {
    std::optional<JwtConfig> jwt;
    std::vector<ApiKeyEntry> api_keys;
};

// `connect.confirmation`: how an OAuth flow's result becomes a connector.
enum class ConnectConfirmation {
    required,  // parked as pending until the user who started the flow confirms it
    immediate, // active at once, whoever's browser finished the flow (the seed's behaviour)
};

// `connect`
struct ConnectConfig {
    ConnectConfirmation confirmation = ConnectConfirmation::required;
    // How often each instance sweeps unconfirmed connections past their time (revoking
    // their tokens at the provider).
    std::uint32_t sweep_interval_seconds = 30;
};

// `refresh`: keeping tokens fresh in the background (see config/README.md). The background
// refresh's policy; every instance sharing a database should use the same values.
struct RefreshConfig {
    std::uint32_t window_seconds = 900; // due this long before expiry (the seed's 15 minutes)
    std::uint32_t jitter_seconds = 300; // ...or up to this much earlier, fixed per connector
    std::uint32_t interval_seconds = 30;
    std::uint32_t concurrency = 4;
    std::uint32_t per_provider_concurrency = 2;
    std::uint32_t failure_backoff_base_seconds = 60;
    std::uint32_t failure_backoff_max_seconds = 3600;
    // A connector an instance leased is not taken by another before this has passed (the
    // lease is renewed while the refresh runs): how long a crashed instance's work waits.
    std::uint32_t lease_seconds = 120;
};

// One entry of `events.webhooks`: where connector events are POSTed, signed with the secret
// the environment variable `secret_env` holds (never the file).
struct WebhookConfig {
    std::string name;       // [a-z0-9_-]{1,64}: names the endpoint in metrics and the outbox
    std::string url;        // https, or http to a loopback host
    std::string secret_env; // the variable holding the HMAC-SHA256 signing secret
};

// `events`: the connector events (an outbox written with each change), their webhooks and
// the events feed. Every instance sharing a database should list the same webhooks.
struct EventsConfig {
    std::vector<WebhookConfig> webhooks;
    std::uint32_t retention_days = 30;     // delivered events stay readable in the feed this long
    std::uint32_t poll_interval_ms = 1000; // how often each instance looks for due deliveries
    std::uint32_t batch = 100;             // deliveries claimed per endpoint and poll
    std::uint32_t concurrency = 4;         // deliveries in flight per instance
    std::uint32_t timeout_ms = 10'000;     // one delivery attempt, connect to answer
    std::uint32_t retry_base_seconds = 5;  // the first retry's delay, doubling per failure...
    std::uint32_t retry_max_seconds = 3600; // ...up to this (with jitter)
    std::uint32_t lease_seconds = 60;      // a claimed delivery is its instance's this long
};

// A token bucket: `capacity` requests at once, refilled at `refill_per_second`. In any window
// of T seconds it lets through at most capacity + refill_per_second x T requests.
struct RateBucketConfig {
    double capacity = 1;
    double refill_per_second = 1;
};

// `rate_limits.providers.<id>`: the buckets in front of one provider's calls.
struct ProviderRateLimits {
    std::optional<RateBucketConfig> provider; // every tenant's calls together (the app's quota)
    std::optional<RateBucketConfig> tenant;   // one tenant's calls (the per-user/account quota)
};

enum class RateLimitBackend { local, redis };

// `rate_limits`: outbound token buckets per provider and per tenant x provider, in front of
// every provider call (actions, token refresh). A provider's plugin may give defaults from its
// published limits (its policy's default_rate_limits); an entry here replaces them.
struct RateLimitsConfig {
    bool enabled = true;
    RateLimitBackend backend = RateLimitBackend::local;
    RedisServerConfig redis;                 // redis only
    std::uint32_t timeout_ms = 1000;         // redis only: connect and command timeouts
    std::uint32_t max_wait_ms = 2000;        // a call over the limit waits this long at most
    // By provider id, as the config names them; a provider neither listed here nor given
    // defaults by its plugin has no limit.
    std::map<std::string, ProviderRateLimits> providers;
};

// `mcp`: the MCP server at /mcp (see config/README.md).
struct McpConfig {
    // Browser origins ("https://app.example.com") allowed besides loopback ones; a request
    // with any other Origin is refused (403) against DNS rebinding.
    std::vector<std::string> allowed_origins;
    // A session unused this long is forgotten (the client initializes again).
    std::uint32_t session_idle_timeout_seconds = 3600;
    // Sessions kept at once on this instance; past it the least recently used goes.
    std::uint32_t max_sessions = 10000;
};

// `proxy`: the credentialed proxy (/api/v1/connectors/{id}/proxy/...): how large and how long
// an exchange with a provider through it may be (see config/README.md).
struct ProxyConfig {
    std::uint64_t max_request_bytes = 5ull * 1024 * 1024 * 1024;
    std::uint64_t max_response_bytes = 5ull * 1024 * 1024 * 1024;
    std::uint32_t timeout_seconds = 600;      // one exchange, both bodies included
    std::uint32_t idle_timeout_seconds = 60;  // each wait for the provider
    std::uint32_t replay_buffer_bytes = 1024 * 1024;
};

// How a provider's plugin runs: loaded into the host (fastest), or in a supervised
// `switchboard plugin-host` child process, where a crash or a hang costs one call.
enum class PluginMode { in_process, isolated };

// `providers.<id>.overrides`: replace the URLs a plugin's descriptor gives (the provider
// simulator is reached this way). Each is an absolute http(s) URL.
struct ProviderOverrides {
    std::optional<std::string> api_base_url;
    std::optional<std::string> authorize_url;
    std::optional<std::string> token_url;
    std::optional<std::string> revoke_url;
    std::optional<std::string> identity_url;
};

// `providers.<id>`
struct ProviderConfig {
    bool enabled = true;
    PluginMode mode = PluginMode::in_process;
    // The library that ships the provider: a file name in the plugins directory; "" means
    // "<id>.so" (see library_file_name). Only the libraries of enabled providers are loaded.
    std::string library;
    // How long the host waits for one action of this provider (the plugin's own work and its
    // HTTP requests through the host together) before answering 504 `plugin_timeout`.
    std::uint32_t call_timeout_ms = 30'000;
    // Isolated mode: plugin-host processes for the provider's library (each runs one call at
    // a time), how long one may take to load the library (its init) before it is killed, and
    // the first wait before restarting one that crashed (doubling per consecutive failure, up
    // to a minute).
    std::uint32_t processes = 2;
    std::uint32_t start_timeout_ms = 10'000;
    std::uint32_t restart_backoff_ms = 1'000;
    // The variables holding the OAuth client credentials. Empty when the config names none:
    // the plugin loader then sets <PREFIX>_CLIENT_ID and <PREFIX>_CLIENT_SECRET, with the
    // prefix of the provider's policy (default_credential_prefix when it names none).
    std::string client_id_env;
    std::string client_secret_env;
    ProviderOverrides overrides;
};

// The library file that ships `provider_id`: config.library, else "<provider_id>.so".
std::string library_file_name(const std::string& provider_id, const ProviderConfig& config);

struct Config {
    // The file this was read from (absolute), empty for a Config built in code.
    std::filesystem::path source;
    ServerConfig server;
    LogConfig log;
    PluginsConfig plugins;
    DatabaseConfig database;
    StateStoreConfig state_store;
    PublicUrlsConfig public_urls;
    AuthConfig auth;
    ConnectConfig connect;
    RefreshConfig refresh;
    EventsConfig events;
    RateLimitsConfig rate_limits;
    McpConfig mcp;
    ProxyConfig proxy;
    std::map<std::string, ProviderConfig> providers; // by provider id

    // True when `provider_id` is listed in `providers` and enabled there.
    bool provider_enabled(const std::string& provider_id) const;
};

// The generic prefix of a provider's default credential variables: the provider id up to its
// first '_' in upper case ("hubspot" -> "HUBSPOT", "zoho_crm" -> "ZOHO"); an id starting with
// '_' or a digit whole, after "PROVIDER_" ("_crm" -> "PROVIDER__CRM"). A provider's plugin
// may name another in its policy (Google's providers share "GOOGLE": one OAuth client serves
// all its APIs); the plugin loader applies it (ProviderPolicy::credential_prefix).
std::string default_credential_prefix(std::string_view provider_id);

std::string_view to_string(LogFormat format) noexcept;
std::string_view to_string(LogLevel level) noexcept;
std::string_view to_string(DatabaseBackend backend) noexcept;
std::string_view to_string(StateStoreBackend backend) noexcept;
std::string_view to_string(ConnectConfirmation confirmation) noexcept;
std::string_view to_string(RateLimitBackend backend) noexcept;
std::string_view to_string(PluginMode mode) noexcept;

} // namespace switchboard::config
