// The config file: every section's defaults and errors, the environment overrides, and the
// two files shipped in config/.
#include "core/config/config_loader.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cstdlib>
#include <fstream>

#ifndef SB_CONFIG_DIR
#error "SB_CONFIG_DIR must name the repository's config/ folder"
#endif

namespace switchboard {
namespace {

using nlohmann::json;

const std::filesystem::path kBase = "/etc/switchboard";

Result<config::Config> parse(const json& document,
                             const config::Environment& env = config::MapEnvironment()) {
    return config::parse_config(document, kBase, env);
}

config::Config parse_ok(const json& document,
                        const config::Environment& env = config::MapEnvironment()) {
    auto c = parse(document, env);
    EXPECT_TRUE(c) << document.dump() << ": " << (c ? "" : c.error().message);
    return c ? *c : config::Config{};
}

// Expects `document` to be refused with exactly `message` (which starts with the key path).
void expect_error(const json& document, const std::string& message,
                  const config::Environment& env = config::MapEnvironment()) {
    auto c = parse(document, env);
    ASSERT_FALSE(c) << document.dump() << " was accepted";
    EXPECT_EQ(c.error().kind, ErrorKind::invalid_input);
    EXPECT_EQ(c.error().code, "invalid_config");
    EXPECT_EQ(c.error().message, message);
    EXPECT_EQ(message.rfind(c.error().field, 0), 0u) << "field is the key path the message names";
}

void expect_error_containing(const json& document, const std::string& part) {
    auto c = parse(document);
    ASSERT_FALSE(c) << document.dump() << " was accepted";
    EXPECT_NE(c.error().message.find(part), std::string::npos) << c.error().message;
}

TEST(Config, EmptyDocumentGivesTheDefaults) {
    config::Config c = parse_ok(json::object());
    EXPECT_EQ(c.server.listen, "127.0.0.1");
    EXPECT_EQ(c.server.port, 8080);
    EXPECT_EQ(c.log.format, config::LogFormat::text);
    EXPECT_EQ(c.log.level, config::LogLevel::info);
    EXPECT_FALSE(c.plugins.directory);
    EXPECT_EQ(c.database.backend, config::DatabaseBackend::sqlite);
    EXPECT_EQ(c.database.sqlite_path, "/etc/switchboard/var/switchboard.db");
    EXPECT_EQ(c.state_store.backend, config::StateStoreBackend::sql);
    EXPECT_EQ(c.state_store.ttl_seconds, 300u);
    EXPECT_EQ(c.public_urls.api_base_url, "http://127.0.0.1:8080");
    EXPECT_FALSE(c.auth.jwt);
    EXPECT_TRUE(c.auth.api_keys.empty());
    EXPECT_EQ(c.connect.confirmation, config::ConnectConfirmation::required);
    EXPECT_EQ(c.connect.sweep_interval_seconds, 30u);
    EXPECT_TRUE(c.providers.empty());
}

TEST(Config, RootErrors) {
    expect_error(json::array(), "(root): must be an object");
    expect_error({{"serverr", json::object()}},
                 "serverr: unknown key; expected one of: auth, connect, database, events, log, "
                 "mcp, plugins, providers, proxy, public_urls, rate_limits, refresh, server, "
                 "state_store");
    expect_error({{"server", 5}}, "server: must be an object");
    auto text =
        config::parse_config_text("{\"server\": {\"port\": 80,}}", kBase, config::MapEnvironment());
    ASSERT_FALSE(text);
    EXPECT_NE(text.error().message.find("invalid JSON"), std::string::npos);
    EXPECT_NE(text.error().message.find("line 1"), std::string::npos) << text.error().message;
    // nlohmann reports a number too large for a double as out_of_range, not parse_error.
    auto huge = config::parse_config_text("{\"server\": {\"port\": 1e999}}", kBase,
                                          config::MapEnvironment());
    ASSERT_FALSE(huge);
    EXPECT_NE(huge.error().message.find("invalid JSON"), std::string::npos) << huge.error().message;
}

TEST(ServerSection, ValuesAndErrors) {
    config::Config c = parse_ok({{"server",
                                  {{"listen", "::1"},
                                   {"port", 0},
                                   {"io_threads", 3},
                                   {"worker_threads", 9},
                                   {"body_limit_bytes", 2048},
                                   {"header_limit_bytes", 4096},
                                   {"read_timeout_ms", 5},
                                   {"idle_timeout_ms", 6},
                                   {"pipeline_limit", 7},
                                   {"shutdown_grace_ms", 0}}}});
    EXPECT_EQ(c.server.listen, "::1");
    EXPECT_EQ(c.server.port, 0);
    EXPECT_EQ(c.server.io_threads, 3u);
    EXPECT_EQ(c.server.worker_threads, 9u);
    EXPECT_EQ(c.server.body_limit_bytes, 2048u);
    EXPECT_EQ(c.server.header_limit_bytes, 4096u);
    EXPECT_EQ(c.server.read_timeout_ms, 5u);
    EXPECT_EQ(c.server.idle_timeout_ms, 6u);
    EXPECT_EQ(c.server.pipeline_limit, 7u);
    EXPECT_EQ(c.server.shutdown_grace_ms, 0u);
    EXPECT_EQ(c.public_urls.api_base_url, "http://[::1]:0");

    const std::string port = "server.port: must be an integer between 0 and 65535";
    expect_error({{"server", {{"port", 70000}}}}, port);
    expect_error({{"server", {{"port", -1}}}}, port);
    expect_error({{"server", {{"port", "8080"}}}}, port);
    expect_error({{"server", {{"port", 80.5}}}}, port);
    expect_error({{"server", {{"port", 18446744073709551615ull}}}}, port);
    expect_error({{"server", {{"listen", "localhost"}}}},
                 "server.listen: must be an IPv4 or IPv6 address, e.g. 127.0.0.1 or ::1");
    expect_error({{"server", {{"io_threads", 0}}}},
                 "server.io_threads: must be an integer between 1 and 256");
    expect_error({{"server", {{"body_limit_bytes", 10}}}},
                 "server.body_limit_bytes: must be an integer between 1024 and 1073741824");
    expect_error_containing({{"server", {{"prot", 1}}}}, "server.prot: unknown key; expected one of:");
}

// Found by the config fuzzer: a NUL in a key cut the message short at the NUL (it went
// through runtime_error's C string), so it no longer named the key it was about.
TEST(Config, AKeyWithControlCharactersIsNamedWithEscapes) {
    const std::string key("\0\rhreads", 8);
    auto c = parse({{"server", {{key, 16}}}});
    ASSERT_FALSE(c);
    EXPECT_EQ(c.error().field, "server.\\u0000\\u000dhreads");
    EXPECT_EQ(
        c.error().message.rfind("server.\\u0000\\u000dhreads: unknown key; expected one of: ", 0),
        0u)
        << c.error().message;
    EXPECT_EQ(c.error().message.find_first_of(std::string("\0\r\n", 3)), std::string::npos);
}

TEST(ServerSection, LimitsDefaultsAndErrors) {
    const config::Config defaults = parse_ok(json::object());
    EXPECT_EQ(defaults.server.body_limit_bytes, 64u * 1024);
    EXPECT_EQ(defaults.server.authenticated_body_limit_bytes, 16u * 1024 * 1024);
    EXPECT_EQ(defaults.server.max_connections, 1024u);
    EXPECT_EQ(defaults.server.max_connections_per_address, 64u);
    EXPECT_EQ(defaults.server.worker_queue_limit, 128u);
    EXPECT_EQ(defaults.server.retry_after_seconds, 5u);
    EXPECT_FALSE(defaults.server.metrics_port);
    EXPECT_TRUE(defaults.server.cors.allowed_origins.empty());
    EXPECT_FALSE(defaults.server.cors.allow_credentials);
    EXPECT_EQ(defaults.server.cors.max_age_seconds, 600u);

    config::Config c = parse_ok({{"server",
                                  {{"body_limit_bytes", 4096},
                                   {"authenticated_body_limit_bytes", 8192},
                                   {"max_connections", 10},
                                   {"max_connections_per_address", 0},
                                   {"worker_queue_limit", 0},
                                   {"retry_after_seconds", 30},
                                   {"metrics_listen", "10.0.0.1"},
                                   {"metrics_port", 9090}}}});
    EXPECT_EQ(c.server.body_limit_bytes, 4096u);
    EXPECT_EQ(c.server.authenticated_body_limit_bytes, 8192u);
    EXPECT_EQ(c.server.max_connections, 10u);
    EXPECT_EQ(c.server.max_connections_per_address, 0u);
    EXPECT_EQ(c.server.worker_queue_limit, 0u);
    EXPECT_EQ(c.server.retry_after_seconds, 30u);
    EXPECT_EQ(c.server.metrics_listen, "10.0.0.1");
    EXPECT_EQ(c.server.metrics_port, 9090);
    EXPECT_EQ(parse_ok({{"server", {{"metrics_port", 0}}}}).server.metrics_listen, "127.0.0.1");
    // A large standard limit lifts the authenticated one with it, unless that is set lower.
    EXPECT_EQ(parse_ok({{"server", {{"body_limit_bytes", 32 * 1024 * 1024}}}})
                  .server.authenticated_body_limit_bytes,
              32u * 1024 * 1024);
    expect_error({{"server",
                   {{"body_limit_bytes", 8192}, {"authenticated_body_limit_bytes", 4096}}}},
                 "server.authenticated_body_limit_bytes: must be at least server.body_limit_bytes "
                 "(8192)");
    expect_error({{"server", {{"max_connections", 0}}}},
                 "server.max_connections: must be an integer between 1 and 1000000");
    expect_error({{"server", {{"retry_after_seconds", 0}}}},
                 "server.retry_after_seconds: must be an integer between 1 and 3600");
    expect_error({{"server", {{"metrics_listen", "10.0.0.1"}}}},
                 "server.metrics_listen: needs server.metrics_port (the metrics endpoint's port)");
    expect_error({{"server", {{"metrics_listen", "metrics.local"}, {"metrics_port", 1}}}},
                 "server.metrics_listen: must be an IPv4 or IPv6 address, e.g. 127.0.0.1 or ::1");
}

TEST(ServerSection, CorsOrigins) {
    config::Config c =
        parse_ok({{"server",
                   {{"cors",
                     {{"allowed_origins", {"https://App.Example.com", "http://localhost:3000"}},
                      {"allow_credentials", true},
                      {"max_age_seconds", 60}}}}}});
    EXPECT_EQ(c.server.cors.allowed_origins,
              (std::vector<std::string>{"https://app.example.com", "http://localhost:3000"}));
    EXPECT_TRUE(c.server.cors.allow_credentials);
    EXPECT_EQ(c.server.cors.max_age_seconds, 60u);

    const auto refused = [](const std::string& origin, const std::string& problem) {
        expect_error({{"server", {{"cors", {{"allowed_origins", {origin}}}}}}},
                     "server.cors.allowed_origins: " + problem);
    };
    refused("*", "must list origins; '*' is not allowed");
    refused("null", "must list origins; 'null' is not allowed");
    refused("https://app.example.com/", "'https://app.example.com/' must be an origin without a "
                                        "path, not even '/' (e.g. https://app.example.com)");
    refused("https://app.example.com:443", "'https://app.example.com:443' must leave out the "
                                           "scheme's default port, as browsers do");
    refused("app.example.com", "'app.example.com' must be an origin: http or https, a host and "
                               "an optional port, e.g. https://app.example.com");
    refused("ftp://app.example.com", "'ftp://app.example.com' must be an origin: http or https, "
                                     "a host and an optional port, e.g. https://app.example.com");
    expect_error_containing({{"server", {{"cors", {{"origins", json::array()}}}}}},
                            "server.cors.origins: unknown key");
    expect_error({{"server", {{"cors", {{"max_age_seconds", 100000}}}}}},
                 "server.cors.max_age_seconds: must be an integer between 0 and 86400");
}

TEST(ServerSection, TlsNeedsBothFilesResolvedBesideTheConfig) {
    EXPECT_FALSE(parse_ok(json::object()).server.tls);
    config::Config c = parse_ok({{"server",
                                  {{"port", 8443},
                                   {"tls",
                                    {{"certificate_file", "tls/server.crt"},
                                     {"private_key_file", "/secrets/server.key"}}}}}});
    ASSERT_TRUE(c.server.tls);
    EXPECT_EQ(c.server.tls->certificate_file, kBase / "tls/server.crt");
    EXPECT_EQ(c.server.tls->private_key_file, "/secrets/server.key");
    // The API's own URL defaults to https when the listener speaks it.
    EXPECT_EQ(c.public_urls.api_base_url, "https://127.0.0.1:8443");

    expect_error({{"server", {{"tls", {{"certificate_file", "a.crt"}}}}}},
                 "server.tls.private_key_file: is required with server.tls (the PEM private key "
                 "file)");
    expect_error({{"server", {{"tls", {{"private_key_file", "a.key"}}}}}},
                 "server.tls.certificate_file: is required with server.tls (the PEM certificate "
                 "file)");
    expect_error_containing({{"server", {{"tls", {{"certificate_file", "a.crt"},
                                                   {"private_key_file", "a.key"},
                                                   {"key_password", "x"}}}}}},
                            "server.tls.key_password: unknown key");
}

TEST(ProxySection, DefaultsValuesAndErrors) {
    const config::ProxyConfig defaults = parse_ok(json::object()).proxy;
    EXPECT_EQ(defaults.max_request_bytes, 5ull * 1024 * 1024 * 1024);
    EXPECT_EQ(defaults.max_response_bytes, 5ull * 1024 * 1024 * 1024);
    EXPECT_EQ(defaults.timeout_seconds, 600u);
    EXPECT_EQ(defaults.idle_timeout_seconds, 60u);
    EXPECT_EQ(defaults.replay_buffer_bytes, 1024u * 1024);

    const config::ProxyConfig c = parse_ok({{"proxy",
                                             {{"max_request_bytes", 1000},
                                              {"max_response_bytes", 0},
                                              {"timeout_seconds", 30},
                                              {"idle_timeout_seconds", 30},
                                              {"replay_buffer_bytes", 0}}}})
                                      .proxy;
    EXPECT_EQ(c.max_request_bytes, 1000u);
    EXPECT_EQ(c.max_response_bytes, 0u);
    EXPECT_EQ(c.timeout_seconds, 30u);
    EXPECT_EQ(c.idle_timeout_seconds, 30u);
    EXPECT_EQ(c.replay_buffer_bytes, 0u);

    expect_error({{"proxy", {{"max_request_bytes", 0}}}},
                 "proxy.max_request_bytes: must be an integer between 1 and 1099511627776");
    expect_error({{"proxy", {{"timeout_seconds", 10}, {"idle_timeout_seconds", 20}}}},
                 "proxy.idle_timeout_seconds: must be at most timeout_seconds (10)");
    expect_error({{"proxy", {{"limit", 1}}}},
                 "proxy.limit: unknown key; expected one of: idle_timeout_seconds, "
                 "max_request_bytes, max_response_bytes, replay_buffer_bytes, timeout_seconds");
}

TEST(RefreshSection, DefaultsValuesAndErrors) {
    // The defaults: due 15 minutes before expiry (the seed's advice), up to 5 more by jitter.
    const config::RefreshConfig defaults = parse_ok(json::object()).refresh;
    EXPECT_EQ(defaults.window_seconds, 900u);
    EXPECT_EQ(defaults.jitter_seconds, 300u);
    EXPECT_EQ(defaults.interval_seconds, 30u);
    EXPECT_EQ(defaults.concurrency, 4u);
    EXPECT_EQ(defaults.per_provider_concurrency, 2u);
    EXPECT_EQ(defaults.failure_backoff_base_seconds, 60u);
    EXPECT_EQ(defaults.failure_backoff_max_seconds, 3600u);
    EXPECT_EQ(defaults.lease_seconds, 120u);

    const config::RefreshConfig c = parse_ok({{"refresh",
                                               {{"window_seconds", 600},
                                                {"jitter_seconds", 0},
                                                {"interval_seconds", 10},
                                                {"concurrency", 8},
                                                {"per_provider_concurrency", 3},
                                                {"failure_backoff_base_seconds", 30},
                                                {"failure_backoff_max_seconds", 30},
                                                {"lease_seconds", 15}}}})
                                        .refresh;
    EXPECT_EQ(c.window_seconds, 600u);
    EXPECT_EQ(c.jitter_seconds, 0u);
    EXPECT_EQ(c.interval_seconds, 10u);
    EXPECT_EQ(c.concurrency, 8u);
    EXPECT_EQ(c.per_provider_concurrency, 3u);
    EXPECT_EQ(c.failure_backoff_base_seconds, 30u);
    EXPECT_EQ(c.failure_backoff_max_seconds, 30u);
    EXPECT_EQ(c.lease_seconds, 15u);

    expect_error({{"refresh", {{"lease_seconds", 2}}}},
                 "refresh.lease_seconds: must be an integer between 6 and 3600");
    expect_error({{"refresh", {{"window_seconds", 10}}}},
                 "refresh.window_seconds: must be an integer between 60 and 86400");
    expect_error({{"refresh", {{"concurrency", 0}}}},
                 "refresh.concurrency: must be an integer between 1 and 64");
    expect_error({{"refresh", {{"failure_backoff_base_seconds", 600},
                               {"failure_backoff_max_seconds", 60}}}},
                 "refresh.failure_backoff_max_seconds: must be at least "
                 "failure_backoff_base_seconds (600)");
    expect_error_containing({{"refresh", {{"window", 600}}}},
                            "refresh.window: unknown key; expected one of:");
}

TEST(LogSection, ValuesAndErrors) {
    config::Config c = parse_ok({{"log", {{"format", "json"}, {"level", "warning"}}}});
    EXPECT_EQ(c.log.format, config::LogFormat::json);
    EXPECT_EQ(c.log.level, config::LogLevel::warning);
    expect_error({{"log", {{"format", "xml"}}}}, "log.format: must be one of: json, text");
    expect_error({{"log", {{"level", "verbose"}}}},
                 "log.level: must be one of: critical, debug, error, info, off, trace, warning");
}

TEST(PluginsSection, RelativeDirectoryIsResolvedAgainstTheConfigFile) {
    EXPECT_EQ(*parse_ok({{"plugins", {{"directory", "../lib/plugins"}}}}).plugins.directory,
              "/etc/lib/plugins");
    EXPECT_EQ(*parse_ok({{"plugins", {{"directory", "/opt/sb/plugins"}}}}).plugins.directory,
              "/opt/sb/plugins");
    expect_error({{"plugins", {{"directory", ""}}}}, "plugins.directory: must be a non-empty string");
}

TEST(DatabaseSection, SqliteAndPostgresql) {
    config::Config rel = parse_ok({{"database", {{"url", "sqlite://var/sb.db"}}}});
    EXPECT_EQ(rel.database.backend, config::DatabaseBackend::sqlite);
    EXPECT_EQ(rel.database.sqlite_path, "/etc/switchboard/var/sb.db");
    EXPECT_EQ(parse_ok({{"database", {{"url", "sqlite:///srv/sb.db"}}}}).database.sqlite_path,
              "/srv/sb.db");
    EXPECT_EQ(parse_ok({{"database", {{"url", "sqlite://:memory:"}}}}).database.sqlite_path,
              ":memory:");
    config::Config pg = parse_ok({{"database",
                                   {{"url", "postgresql://sb@db:5432/sb?sslmode=require"},
                                    {"password_env", "SB_DB_PASSWORD"}}}});
    EXPECT_EQ(pg.database.backend, config::DatabaseBackend::postgresql);
    EXPECT_EQ(pg.database.postgresql_url, "postgresql://sb@db:5432/sb?sslmode=require");
    EXPECT_EQ(pg.database.password_env, "SB_DB_PASSWORD");

    const std::string no_password = "database.url: must not contain a password; put it in an "
                                    "environment variable and name that variable in "
                                    "'database.password_env'";
    expect_error({{"database", {{"url", "postgresql://sb:hunter2@db/sb"}}}}, no_password);
    expect_error({{"database", {{"url", "postgresql://sb@db/sb?password=hunter2"}}}}, no_password);
    auto leaked = parse({{"database", {{"url", "postgresql://sb:hunter2@db/sb"}}}});
    EXPECT_EQ(leaked.error().message.find("hunter2"), std::string::npos)
        << "the secret itself is never repeated";
    EXPECT_FALSE(rel.database.sqlite_synchronous_full);
    EXPECT_TRUE(parse_ok({{"database", {{"url", "sqlite://x.db"}, {"sqlite_synchronous", "full"}}}})
                    .database.sqlite_synchronous_full);
    EXPECT_FALSE(parse_ok({{"database", {{"url", "sqlite://x.db"}, {"sqlite_synchronous", "normal"}}}})
                     .database.sqlite_synchronous_full);
    expect_error_containing({{"database", {{"url", "sqlite://x.db"}, {"sqlite_synchronous", "off"}}}},
                            "database.sqlite_synchronous");
    expect_error({{"database", {{"url", "postgresql://db/sb"}, {"sqlite_synchronous", "full"}}}},
                 "database.sqlite_synchronous: applies only to sqlite:// URLs");
    expect_error({{"database", {{"url", "mysql://db/sb"}}}},
                 "database.url: must start with sqlite:// or postgresql://");
    expect_error_containing({{"database", json::object()}}, "database.url: is required");
    expect_error({{"database", {{"url", "sqlite://x.db"}, {"password_env", "X"}}}},
                 "database.password_env: applies only to postgresql:// URLs");
    expect_error({{"database", {{"url", "postgresql://db/sb"}, {"password_env", "lower"}}}},
                 "database.password_env: must be the name of an environment variable (A-Z, 0-9 "
                 "and _, not starting with a digit)");
    expect_error({{"database", {{"url", "postgresql://db/sb"}, {"password", "hunter2"}}}},
                 "database.password: secrets do not belong in the config file; put the value in "
                 "an environment variable and name that variable in 'password_env'");
}

TEST(StateStoreSection, SqlAndRedis) {
    config::Config redis = parse_ok({{"state_store",
                                      {{"backend", "redis"},
                                       {"redis_url", "redis://cache:6379/2"},
                                       {"password_env", "REDIS_PASSWORD"},
                                       {"ttl_seconds", 120},
                                       {"timeout_ms", 500}}}});
    EXPECT_EQ(redis.state_store.backend, config::StateStoreBackend::redis);
    EXPECT_EQ(redis.state_store.redis.url, "redis://cache:6379/2");
    EXPECT_EQ(redis.state_store.redis.password_env, "REDIS_PASSWORD");
    EXPECT_EQ(redis.state_store.ttl_seconds, 120u);
    EXPECT_EQ(redis.state_store.timeout_ms, 500u);
    expect_error_containing({{"state_store", {{"backend", "redis"}}}},
                            "state_store.redis_url: is required when backend is redis");
    expect_error_containing(
        {{"state_store", {{"backend", "redis"}, {"redis_url", "redis://:pw@cache:6379"}}}},
        "state_store.redis_url: must not contain credentials");
    expect_error({{"state_store", {{"backend", "redis"}, {"redis_url", "http://cache"}}}},
                 "state_store.redis_url: must be a redis://host[:port][/db] or "
                 "rediss://host[:port][/db] URL");
    // TLS (issue 14, point 4): rediss://, with a private CA beside the config file.
    config::Config tls = parse_ok({{"state_store",
                                    {{"backend", "redis"},
                                     {"redis_url", "rediss://cache.internal:6380/0"},
                                     {"redis_ca_file", "redis-ca.pem"}}}});
    EXPECT_EQ(tls.state_store.redis.url, "rediss://cache.internal:6380/0");
    EXPECT_EQ(tls.state_store.redis.ca_file, "/etc/switchboard/redis-ca.pem");
    expect_error({{"state_store",
                   {{"backend", "redis"}, {"redis_url", "redis://cache"}, {"redis_ca_file", "ca.pem"}}}},
                 "state_store.redis_ca_file: applies only to a rediss:// (TLS) redis_url");
    expect_error({{"state_store", {{"redis_url", "redis://cache"}}}},
                 "state_store.redis_url: applies only when backend is redis");
    expect_error({{"state_store", {{"backend", "memcached"}}}},
                 "state_store.backend: must be one of: redis, sql");
    expect_error({{"state_store", {{"ttl_seconds", 5}}}},
                 "state_store.ttl_seconds: must be an integer between 30 and 3600");
}

TEST(PublicUrlsSection, FileAndEnvironment) {
    config::Config c = parse_ok({{"public_urls",
                                  {{"api_base_url", "https://connect.example.com/"},
                                   {"frontend_url", "https://app.example.com"}}}});
    EXPECT_EQ(c.public_urls.api_base_url, "https://connect.example.com");
    EXPECT_EQ(c.public_urls.frontend_url, "https://app.example.com");

    config::MapEnvironment env(
        std::map<std::string, std::string>{{"API_BASE_URL", "https://api.override.example/"},
                                           {"FRONTEND_URL", "https://front.override.example"}});
    config::Config o =
        parse_ok({{"public_urls", {{"api_base_url", "https://connect.example.com"}}}}, env);
    EXPECT_EQ(o.public_urls.api_base_url, "https://api.override.example");
    EXPECT_EQ(o.public_urls.frontend_url, "https://front.override.example");

    expect_error({{"public_urls", {{"api_base_url", "ftp://x.example"}}}},
                 "public_urls.api_base_url: must be an absolute http or https URL");
    expect_error({{"public_urls", {{"api_base_url", "https://user:pw@x.example"}}}},
                 "public_urls.api_base_url: must not contain user information (credentials come "
                 "from the environment)");
    expect_error(
        json::object(),
        "environment variable API_BASE_URL: must be an absolute http or "
        "https URL",
        config::MapEnvironment(std::map<std::string, std::string>{{"API_BASE_URL", "not a url"}}));
}

// Issue 10, point 6: without issuer and audience, any token signed by a configured key would
// be accepted, whoever it was minted for (another product sharing the identity provider, an
// ID token of another client). That must be an explicit choice in the file.
TEST(AuthSection, JwtWithoutIssuerOrAudienceIsRefusedUnlessAllowedExplicitly) {
    expect_error_containing({{"auth", {{"jwt", {{"hs256_secret_env", "S"}, {"audience", "a"}}}}}},
                            "auth.jwt.issuer: is required");
    expect_error_containing({{"auth", {{"jwt", {{"hs256_secret_env", "S"}, {"issuer", "i"}}}}}},
                            "auth.jwt.audience: is required");
    expect_error_containing({{"auth", {{"jwt", {{"hs256_secret_env", "S"}}}}}}, "auth.jwt.issuer");

    config::Config any = parse_ok({{"auth",
                                    {{"jwt",
                                      {{"hs256_secret_env", "S"},
                                       {"allow_any_issuer", true},
                                       {"allow_any_audience", true}}}}}});
    ASSERT_TRUE(any.auth.jwt);
    EXPECT_FALSE(any.auth.jwt->issuer);
    EXPECT_TRUE(any.auth.jwt->allow_any_issuer);
    EXPECT_TRUE(any.auth.jwt->allow_any_audience);

    // Both at once is a contradiction, and `false` is no permission.
    expect_error_containing({{"auth",
                              {{"jwt",
                                {{"hs256_secret_env", "S"},
                                 {"issuer", "i"},
                                 {"allow_any_issuer", true},
                                 {"audience", "a"}}}}}},
                            "auth.jwt.allow_any_issuer");
    expect_error_containing({{"auth",
                              {{"jwt",
                                {{"hs256_secret_env", "S"},
                                 {"issuer", "i"},
                                 {"allow_any_audience", false}}}}}},
                            "auth.jwt.audience: is required");
}

// Issue 14, point 4: the keys of Supabase, Auth0 and the like come from a URL.
TEST(AuthSection, JwksUrlWithItsRefreshTimes) {
    config::Config c = parse_ok({{"auth",
                                  {{"jwt",
                                    {{"jwks_url", "https://id.example.com/.well-known/jwks.json"},
                                     {"jwks_max_age_seconds", 600},
                                     {"jwks_min_refetch_seconds", 10},
                                     {"issuer", "https://id.example.com/"},
                                     {"audience", "switchboard"}}}}}});
    ASSERT_TRUE(c.auth.jwt);
    EXPECT_EQ(c.auth.jwt->jwks_url, "https://id.example.com/.well-known/jwks.json");
    EXPECT_EQ(c.auth.jwt->jwks_max_age_seconds, 600u);
    EXPECT_EQ(c.auth.jwt->jwks_min_refetch_seconds, 10u);
    EXPECT_EQ(c.auth.jwt->algorithms, (std::vector<std::string>{"RS256", "ES256"}));

    config::Config defaults = parse_ok(
        {{"auth",
          {{"jwt",
            {{"jwks_url", "http://127.0.0.1:9999/jwks"}, {"issuer", "i"}, {"audience", "a"}}}}}});
    EXPECT_EQ(defaults.auth.jwt->jwks_max_age_seconds, 300u);
    EXPECT_EQ(defaults.auth.jwt->jwks_min_refetch_seconds, 30u);

    expect_error({{"auth", {{"jwt", {{"jwks_url", "http://id.example.com/jwks"}, {"issuer", "i"}, {"audience", "a"}}}}}},
                 "auth.jwt.jwks_url: must be https (plain http only to a loopback host)");
    expect_error_containing({{"auth", {{"jwt", {{"jwks_url", "https://id.example.com/jwks"}, {"jwks_max_age_seconds", 1}, {"issuer", "i"}, {"audience", "a"}}}}}},
                            "auth.jwt.jwks_max_age_seconds");
}

TEST(AuthSection, JwtAndApiKeys) {
    config::Config c = parse_ok(
        {{"auth",
          {{"jwt",
            {{"hs256_secret_env", "JWT_SECRET"},
             {"jwks_file", "keys/jwks.json"},
             {"issuer", "https://id.example.com/"},
             {"audience", "switchboard"},
             {"tenant_claim", "org"},
             {"user_claim", "uid"},
             {"leeway_seconds", 5}}},
           {"api_keys",
            {{{"key_sha256", std::string(64, 'A')}, {"tenant_id", "t1"}, {"user_id", "u1"}}}}}}});
    ASSERT_TRUE(c.auth.jwt);
    EXPECT_EQ(c.auth.jwt->hs256_secret_env, "JWT_SECRET");
    EXPECT_EQ(c.auth.jwt->jwks_file, "/etc/switchboard/keys/jwks.json");
    EXPECT_EQ(c.auth.jwt->algorithms, (std::vector<std::string>{"HS256", "RS256", "ES256"}));
    EXPECT_EQ(c.auth.jwt->issuer, "https://id.example.com/");
    EXPECT_EQ(c.auth.jwt->audience, "switchboard");
    EXPECT_EQ(c.auth.jwt->tenant_claim, "org");
    EXPECT_EQ(c.auth.jwt->user_claim, "uid");
    EXPECT_EQ(c.auth.jwt->leeway_seconds, 5u);
    ASSERT_EQ(c.auth.api_keys.size(), 1u);
    EXPECT_EQ(c.auth.api_keys[0].key_sha256, std::string(64, 'a')) << "stored lower-case";
    EXPECT_EQ(c.auth.api_keys[0].tenant_id, "t1");

    config::Config defaults = parse_ok({{"auth",
                                         {{"jwt",
                                           {{"hs256_secret_env", "S"},
                                            {"issuer", "https://id.example.com/"},
                                            {"audience", "switchboard"}}}}}});
    EXPECT_EQ(defaults.auth.jwt->algorithms, std::vector<std::string>{"HS256"});
    EXPECT_EQ(defaults.auth.jwt->tenant_claim, "tenant_id");
    EXPECT_EQ(defaults.auth.jwt->user_claim, "sub");
    EXPECT_EQ(defaults.auth.jwt->leeway_seconds, 60u);

    expect_error_containing({{"auth", {{"jwt", {{"issuer", "i"}, {"audience", "a"}}}}}},
                            "auth.jwt: needs hs256_secret_env");
    expect_error({{"auth", {{"jwt", {{"jwks_file", "/k.json"}, {"algorithms", {"HS256"}}, {"issuer", "i"}, {"audience", "a"}}}}}},
                 "auth.jwt.algorithms: HS256 needs auth.jwt.hs256_secret_env");
    expect_error({{"auth", {{"jwt", {{"hs256_secret_env", "S"}, {"algorithms", {"RS256"}}, {"issuer", "i"}, {"audience", "a"}}}}}},
                 "auth.jwt.algorithms: RS256 needs auth.jwt.jwks_file or auth.jwt.jwks_url");
    expect_error_containing({{"auth", {{"jwt", {{"hs256_secret_env", "S"}, {"algorithms", {"none"}}, {"issuer", "i"}, {"audience", "a"}}}}}},
                            "auth.jwt.algorithms: unknown algorithm 'none'");
    expect_error({{"auth", {{"jwt", {{"hs256_secret", "s3cret"}}}}}},
                 "auth.jwt.hs256_secret: secrets do not belong in the config file; put the value "
                 "in an environment variable and name that variable in 'hs256_secret_env'");
    expect_error({{"auth", {{"jwt", {{"hs256_secret_env", "S"}, {"leeway_seconds", 4000}, {"issuer", "i"}, {"audience", "a"}}}}}},
                 "auth.jwt.leeway_seconds: must be an integer between 0 and 3600");

    json good_key = {{"key_sha256", std::string(64, 'b')}, {"tenant_id", "t"}, {"user_id", "u"}};
    json bad_hex = good_key;
    bad_hex["key_sha256"] = "not-hex";
    expect_error({{"auth", {{"api_keys", {good_key, bad_hex}}}}},
                 "auth.api_keys[1].key_sha256: must be 64 hexadecimal digits (the SHA-256 of the "
                 "key, never the key itself)");
    expect_error({{"auth", {{"api_keys", {good_key, good_key}}}}},
                 "auth.api_keys[1].key_sha256: duplicates an earlier api_keys entry");
    json no_tenant = good_key;
    no_tenant.erase("tenant_id");
    expect_error({{"auth", {{"api_keys", {no_tenant}}}}}, "auth.api_keys[0].tenant_id: is required");
    json plain_key = good_key;
    plain_key["key"] = "sb_live_123";
    expect_error_containing({{"auth", {{"api_keys", {plain_key}}}}},
                            "auth.api_keys[0].key: unknown key (secrets do not belong in the "
                            "config file");
    expect_error({{"auth", {{"api_keys", "x"}}}},
                 "auth.api_keys: must be an array of {key_sha256, tenant_id, user_id} objects");
}

TEST(ConnectSection, ConfirmationAndSweepInterval) {
    config::Config c =
        parse_ok({{"connect", {{"confirmation", "immediate"}, {"sweep_interval_seconds", 5}}}});
    EXPECT_EQ(c.connect.confirmation, config::ConnectConfirmation::immediate);
    EXPECT_EQ(c.connect.sweep_interval_seconds, 5u);
    EXPECT_EQ(to_string(c.connect.confirmation), "immediate");
    EXPECT_EQ(parse_ok({{"connect", {{"confirmation", "required"}}}}).connect.confirmation,
              config::ConnectConfirmation::required);
    expect_error_containing({{"connect", {{"confirmation", "off"}}}}, "connect.confirmation");
    expect_error({{"connect", {{"sweep_interval_seconds", 0}}}},
                 "connect.sweep_interval_seconds: must be an integer between 1 and 3600");
    expect_error_containing({{"connect", {{"confirm", "required"}}}}, "connect.confirm: unknown key");
}

TEST(ProvidersSection, ModeLibraryAndCallLimits) {
    config::Config c = parse_ok({{"providers",
                                  {{"google_calendar", json::object()},
                                   {"hubspot",
                                    {{"mode", "isolated"},
                                     {"library", "hubspot_v2.so"},
                                     {"call_timeout_ms", 5000},
                                     {"processes", 3},
                                     {"start_timeout_ms", 2500},
                                     {"restart_backoff_ms", 250}}}}}});
    const config::ProviderConfig& defaults = c.providers["google_calendar"];
    EXPECT_EQ(defaults.mode, config::PluginMode::in_process);
    EXPECT_EQ(defaults.call_timeout_ms, 30'000u);
    EXPECT_EQ(defaults.processes, 2u);
    EXPECT_EQ(defaults.start_timeout_ms, 10'000u);
    EXPECT_EQ(defaults.restart_backoff_ms, 1'000u);
    EXPECT_EQ(config::library_file_name("google_calendar", defaults), "google_calendar.so");
    const config::ProviderConfig& hubspot = c.providers["hubspot"];
    EXPECT_EQ(hubspot.mode, config::PluginMode::isolated);
    EXPECT_EQ(config::library_file_name("hubspot", hubspot), "hubspot_v2.so");
    EXPECT_EQ(hubspot.call_timeout_ms, 5000u);
    EXPECT_EQ(hubspot.processes, 3u);
    EXPECT_EQ(hubspot.start_timeout_ms, 2500u);
    EXPECT_EQ(hubspot.restart_backoff_ms, 250u);

    expect_error({{"providers", {{"gmail", {{"library", "../../tmp/evil.so"}}}}}},
                 "providers.gmail.library: must be the file name of a library in the plugins "
                 "directory (e.g. \"hubspot.so\"), without a path");
    expect_error({{"providers", {{"gmail", {{"library", "gmail.dll"}}}}}},
                 "providers.gmail.library: must be the file name of a library in the plugins "
                 "directory (e.g. \"hubspot.so\"), without a path");
    expect_error({{"providers", {{"gmail", {{"call_timeout_ms", 0}}}}}},
                 "providers.gmail.call_timeout_ms: must be an integer between 10 and 600000");
    expect_error({{"providers", {{"gmail", {{"processes", 65}}}}}},
                 "providers.gmail.processes: must be an integer between 1 and 64");
}

TEST(ProvidersSection, ValuesDefaultsAndErrors) {
    config::Config c = parse_ok(
        {{"providers",
          {{"google_calendar", json::object()},
           {"gmail", {{"enabled", false}}},
           {"hubspot",
            {{"mode", "in_process"},
             {"client_secret_env", "HS_SECRET"},
             {"overrides",
              {{"api_base_url", "http://127.0.0.1:9000/hubspot/"},
               {"authorize_url", "http://127.0.0.1:9000/oauth/authorize"},
               {"token_url", "http://127.0.0.1:9000/oauth/v1/token"},
               {"revoke_url", "http://127.0.0.1:9000/oauth/v1/refresh-tokens/{token}"},
               {"identity_url", "http://127.0.0.1:9000/oauth/v1/access-tokens/{access_token}"}}}}},
           {"outlook_calendar", json::object()}}}});
    ASSERT_EQ(c.providers.size(), 4u);
    EXPECT_TRUE(c.provider_enabled("google_calendar"));
    EXPECT_FALSE(c.provider_enabled("gmail"));
    EXPECT_FALSE(c.provider_enabled("google_drive")) << "absent means not enabled";
    // Unnamed credential variables are left to the provider's plugin (its policy's prefix:
    // GOOGLE_CLIENT_ID for Google's three, see tests/plugin/provider_policy_test.cpp); what the
    // config names is kept.
    EXPECT_EQ(c.providers["google_calendar"].client_id_env, "");
    EXPECT_EQ(c.providers["google_calendar"].client_secret_env, "");
    EXPECT_EQ(c.providers["hubspot"].client_id_env, "");
    EXPECT_EQ(c.providers["hubspot"].client_secret_env, "HS_SECRET");
    const auto& o = c.providers["hubspot"].overrides;
    EXPECT_EQ(o.api_base_url, "http://127.0.0.1:9000/hubspot");
    EXPECT_EQ(o.revoke_url, "http://127.0.0.1:9000/oauth/v1/refresh-tokens/{token}");
    EXPECT_EQ(o.identity_url, "http://127.0.0.1:9000/oauth/v1/access-tokens/{access_token}");

    expect_error({{"providers", {{"Google-Calendar", json::object()}}}},
                 "providers.Google-Calendar: a provider id must be 1 to 64 characters from a-z, "
                 "0-9 and _");
    expect_error({{"providers", {{"gmail", {{"mode", "remote"}}}}}},
                 "providers.gmail.mode: must be one of: in_process, isolated");
    expect_error({{"providers", {{"gmail", {{"enabled", "yes"}}}}}},
                 "providers.gmail.enabled: must be true or false");
    expect_error({{"providers", {{"gmail", {{"overrides", {{"token_url", "/token"}}}}}}}},
                 "providers.gmail.overrides.token_url: must be an absolute http or https URL");
    expect_error({{"providers", {{"gmail", {{"client_secret", "abc"}}}}}},
                 "providers.gmail.client_secret: secrets do not belong in the config file; put "
                 "the value in an environment variable and name that variable in "
                 "'client_secret_env'");
    expect_error({{"providers", {{"gmail", 5}}}}, "providers.gmail: must be an object");
}

// The generic rule; a plugin's policy may name another prefix (Google's plugins: "GOOGLE").
TEST(CredentialPrefix, IsTheIdUpToItsFirstUnderscoreInUpperCase) {
    EXPECT_EQ(config::default_credential_prefix("google_calendar"), "GOOGLE");
    EXPECT_EQ(config::default_credential_prefix("gmail"), "GMAIL") << "no provider is special here";
    EXPECT_EQ(config::default_credential_prefix("hubspot"), "HUBSPOT");
    EXPECT_EQ(config::default_credential_prefix("zoho_crm"), "ZOHO");
}

// An environment variable's name starts with a letter or '_', and two providers must not share
// a prefix by accident: an id whose first part is empty or starts with a digit names the whole
// id instead.
TEST(CredentialPrefix, AnIdStartingWithAnUnderscoreOrADigitIsNamedWhole) {
    EXPECT_EQ(config::default_credential_prefix("_crm"), "PROVIDER__CRM");
    EXPECT_EQ(config::default_credential_prefix("_mail"), "PROVIDER__MAIL")
        << "not the same variables as _crm's";
    EXPECT_EQ(config::default_credential_prefix("3d_printer"), "PROVIDER_3D_PRINTER");
    EXPECT_EQ(config::default_credential_prefix("provider_x"), "PROVIDER");
}

TEST(LoadConfigFile, ReadsAFileAndResolvesPathsBesideIt) {
    auto dir = std::filesystem::temp_directory_path() / ("sb-config-test-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    auto file = dir / "switchboard.json";
    std::ofstream(file) << R"({"database": {"url": "sqlite://data/sb.db"},
                              "plugins": {"directory": "plugins"}})";
    auto c = config::load_config_file(file, config::MapEnvironment());
    ASSERT_TRUE(c) << c.error().message;
    EXPECT_EQ(c->source, file);
    EXPECT_EQ(c->database.sqlite_path, dir / "data" / "sb.db");
    EXPECT_EQ(*c->plugins.directory, dir / "plugins");

    std::ofstream(file) << R"({"server": {"port": 99999}})";
    auto bad = config::load_config_file(file, config::MapEnvironment());
    ASSERT_FALSE(bad);
    EXPECT_EQ(bad.error().field, "server.port");
    EXPECT_EQ(bad.error().message,
              file.string() + ": server.port: must be an integer between 0 and 65535");

    auto missing = config::load_config_file(dir / "nope.json", config::MapEnvironment());
    ASSERT_FALSE(missing);
    EXPECT_EQ(missing.error().kind, ErrorKind::not_found);
    EXPECT_EQ(missing.error().code, "config_not_found");
    EXPECT_NE(missing.error().message.find("nope.json"), std::string::npos);
    std::filesystem::remove_all(dir);
}

TEST(ShippedConfigs, EmbeddedDefaultParses) {
    auto c = config::load_config_file(std::filesystem::path(SB_CONFIG_DIR) / "switchboard.json",
                                      config::MapEnvironment());
    ASSERT_TRUE(c) << c.error().message;
    EXPECT_EQ(c->server.listen, "127.0.0.1");
    EXPECT_EQ(c->server.port, 8080);
    EXPECT_EQ(c->database.backend, config::DatabaseBackend::sqlite);
    EXPECT_EQ(c->database.sqlite_path.filename(), "switchboard.db");
    EXPECT_EQ(c->database.sqlite_path.parent_path().filename(), "var");
    EXPECT_EQ(c->state_store.backend, config::StateStoreBackend::sql);
    EXPECT_FALSE(c->plugins.directory) << "the default looks beside the executable";
    for (const char* id : {"google_calendar", "gmail", "hubspot", "google_drive"}) {
        EXPECT_TRUE(c->provider_enabled(id)) << id;
    }
    ASSERT_EQ(c->auth.api_keys.size(), 1u);
}

TEST(ShippedConfigs, ProductionParses) {
    auto c = config::load_config_file(std::filesystem::path(SB_CONFIG_DIR) / "production.json",
                                      config::MapEnvironment());
    ASSERT_TRUE(c) << c.error().message;
    EXPECT_EQ(c->database.backend, config::DatabaseBackend::postgresql);
    EXPECT_EQ(c->database.password_env, "SWITCHBOARD_DB_PASSWORD");
    EXPECT_EQ(c->state_store.backend, config::StateStoreBackend::redis);
    EXPECT_EQ(c->log.format, config::LogFormat::json);
    ASSERT_TRUE(c->auth.jwt);
    EXPECT_EQ(c->auth.jwt->algorithms, (std::vector<std::string>{"RS256", "ES256"}));
    // The identity provider's published keys, and TLS to every shared engine.
    EXPECT_EQ(c->auth.jwt->jwks_url, "https://id.example.com/.well-known/jwks.json");
    EXPECT_EQ(c->state_store.redis.url.rfind("rediss://", 0), 0u);
    EXPECT_EQ(c->rate_limits.redis.url.rfind("rediss://", 0), 0u);
    EXPECT_NE(c->database.postgresql_url.find("sslmode=verify-full"), std::string::npos);
    EXPECT_TRUE(c->auth.jwt->issuer);
    EXPECT_TRUE(c->auth.jwt->audience);
    EXPECT_TRUE(c->auth.api_keys.empty());
    EXPECT_EQ(c->connect.confirmation, config::ConnectConfirmation::required);
    // Several instances behind a load balancer: shared provider quotas, no per-address cap
    // (every client has the balancer's address).
    EXPECT_EQ(c->rate_limits.backend, config::RateLimitBackend::redis);
    EXPECT_EQ(c->server.max_connections_per_address, 0u);
    EXPECT_EQ(c->plugins.directory, std::filesystem::path("/usr/lib/switchboard/plugins"));
}

// The Debian package's /etc/switchboard/switchboard.json: one node, SQLite in the state
// directory of the systemd unit, callers by JWT under the secret the postinst generates.
TEST(ShippedConfigs, PackageConfigParses) {
    auto c = config::load_config_file(std::filesystem::path(SB_PACKAGING_DIR) / "switchboard.json",
                                      config::MapEnvironment());
    ASSERT_TRUE(c) << c.error().message;
    EXPECT_EQ(c->database.backend, config::DatabaseBackend::sqlite);
    EXPECT_EQ(c->database.sqlite_path, std::filesystem::path("/var/lib/switchboard/switchboard.db"));
    EXPECT_EQ(c->server.listen, "127.0.0.1");
    ASSERT_TRUE(c->auth.jwt);
    EXPECT_EQ(c->auth.jwt->hs256_secret_env, "SWITCHBOARD_JWT_SECRET");
    EXPECT_TRUE(c->auth.jwt->issuer);
    EXPECT_TRUE(c->auth.jwt->audience);
    EXPECT_TRUE(c->auth.api_keys.empty());
}

} // namespace
} // namespace switchboard
