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

Result<Config> parse(const json& document, const Environment& env = MapEnvironment()) {
    return parse_config(document, kBase, env);
}

Config parse_ok(const json& document, const Environment& env = MapEnvironment()) {
    auto c = parse(document, env);
    EXPECT_TRUE(c) << document.dump() << ": " << (c ? "" : c.error().message);
    return c ? *c : Config{};
}

// Expects `document` to be refused with exactly `message` (which starts with the key path).
void expect_error(const json& document, const std::string& message,
                  const Environment& env = MapEnvironment()) {
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
    Config c = parse_ok(json::object());
    EXPECT_EQ(c.server.listen, "127.0.0.1");
    EXPECT_EQ(c.server.port, 8080);
    EXPECT_EQ(c.log.format, LogFormat::text);
    EXPECT_EQ(c.log.level, LogLevel::info);
    EXPECT_FALSE(c.plugins.directory);
    EXPECT_EQ(c.database.backend, DatabaseBackend::sqlite);
    EXPECT_EQ(c.database.sqlite_path, "/etc/switchboard/var/switchboard.db");
    EXPECT_EQ(c.state_store.backend, StateStoreBackend::sql);
    EXPECT_EQ(c.state_store.ttl_seconds, 300u);
    EXPECT_EQ(c.public_urls.api_base_url, "http://127.0.0.1:8080");
    EXPECT_FALSE(c.auth.jwt);
    EXPECT_TRUE(c.auth.api_keys.empty());
    EXPECT_TRUE(c.providers.empty());
}

TEST(Config, RootErrors) {
    expect_error(json::array(), "(root): must be an object");
    expect_error({{"serverr", json::object()}},
                 "serverr: unknown key; expected one of: auth, database, log, plugins, providers, "
                 "public_urls, server, state_store");
    expect_error({{"server", 5}}, "server: must be an object");
    auto text = parse_config_text("{\"server\": {\"port\": 80,}}", kBase, MapEnvironment());
    ASSERT_FALSE(text);
    EXPECT_NE(text.error().message.find("invalid JSON"), std::string::npos);
    EXPECT_NE(text.error().message.find("line 1"), std::string::npos) << text.error().message;
}

TEST(ServerSection, ValuesAndErrors) {
    Config c = parse_ok({{"server",
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

TEST(LogSection, ValuesAndErrors) {
    Config c = parse_ok({{"log", {{"format", "json"}, {"level", "warning"}}}});
    EXPECT_EQ(c.log.format, LogFormat::json);
    EXPECT_EQ(c.log.level, LogLevel::warning);
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
    Config rel = parse_ok({{"database", {{"url", "sqlite://var/sb.db"}}}});
    EXPECT_EQ(rel.database.backend, DatabaseBackend::sqlite);
    EXPECT_EQ(rel.database.sqlite_path, "/etc/switchboard/var/sb.db");
    EXPECT_EQ(parse_ok({{"database", {{"url", "sqlite:///srv/sb.db"}}}}).database.sqlite_path,
              "/srv/sb.db");
    EXPECT_EQ(parse_ok({{"database", {{"url", "sqlite://:memory:"}}}}).database.sqlite_path,
              ":memory:");
    Config pg = parse_ok({{"database",
                           {{"url", "postgresql://sb@db:5432/sb?sslmode=require"},
                            {"password_env", "SB_DB_PASSWORD"}}}});
    EXPECT_EQ(pg.database.backend, DatabaseBackend::postgresql);
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
    Config redis = parse_ok({{"state_store",
                              {{"backend", "redis"},
                               {"redis_url", "redis://cache:6379/2"},
                               {"password_env", "REDIS_PASSWORD"},
                               {"ttl_seconds", 120},
                               {"timeout_ms", 500}}}});
    EXPECT_EQ(redis.state_store.backend, StateStoreBackend::redis);
    EXPECT_EQ(redis.state_store.redis_url, "redis://cache:6379/2");
    EXPECT_EQ(redis.state_store.password_env, "REDIS_PASSWORD");
    EXPECT_EQ(redis.state_store.ttl_seconds, 120u);
    EXPECT_EQ(redis.state_store.timeout_ms, 500u);
    expect_error_containing({{"state_store", {{"backend", "redis"}}}},
                            "state_store.redis_url: is required when backend is redis");
    expect_error_containing(
        {{"state_store", {{"backend", "redis"}, {"redis_url", "redis://:pw@cache:6379"}}}},
        "state_store.redis_url: must not contain credentials");
    expect_error({{"state_store", {{"backend", "redis"}, {"redis_url", "http://cache"}}}},
                 "state_store.redis_url: must be a redis://host[:port][/db] URL");
    expect_error({{"state_store", {{"redis_url", "redis://cache"}}}},
                 "state_store.redis_url: applies only when backend is redis");
    expect_error({{"state_store", {{"backend", "memcached"}}}},
                 "state_store.backend: must be one of: redis, sql");
    expect_error({{"state_store", {{"ttl_seconds", 5}}}},
                 "state_store.ttl_seconds: must be an integer between 30 and 3600");
}

TEST(PublicUrlsSection, FileAndEnvironment) {
    Config c = parse_ok({{"public_urls",
                          {{"api_base_url", "https://connect.example.com/"},
                           {"frontend_url", "https://app.example.com"}}}});
    EXPECT_EQ(c.public_urls.api_base_url, "https://connect.example.com");
    EXPECT_EQ(c.public_urls.frontend_url, "https://app.example.com");

    MapEnvironment env(std::map<std::string, std::string>{{"API_BASE_URL", "https://api.override.example/"},
                        {"FRONTEND_URL", "https://front.override.example"}});
    Config o = parse_ok({{"public_urls", {{"api_base_url", "https://connect.example.com"}}}}, env);
    EXPECT_EQ(o.public_urls.api_base_url, "https://api.override.example");
    EXPECT_EQ(o.public_urls.frontend_url, "https://front.override.example");

    expect_error({{"public_urls", {{"api_base_url", "ftp://x.example"}}}},
                 "public_urls.api_base_url: must be an absolute http or https URL");
    expect_error({{"public_urls", {{"api_base_url", "https://user:pw@x.example"}}}},
                 "public_urls.api_base_url: must not contain user information (credentials come "
                 "from the environment)");
    expect_error(json::object(), "environment variable API_BASE_URL: must be an absolute http or "
                                 "https URL",
                 MapEnvironment(std::map<std::string, std::string>{{"API_BASE_URL", "not a url"}}));
}

TEST(AuthSection, JwtAndApiKeys) {
    Config c = parse_ok({{"auth",
                          {{"jwt",
                            {{"hs256_secret_env", "JWT_SECRET"},
                             {"jwks_file", "keys/jwks.json"},
                             {"issuer", "https://id.example.com/"},
                             {"audience", "switchboard"},
                             {"tenant_claim", "org"},
                             {"user_claim", "uid"},
                             {"leeway_seconds", 5}}},
                           {"api_keys",
                            {{{"key_sha256", std::string(64, 'A')},
                              {"tenant_id", "t1"},
                              {"user_id", "u1"}}}}}}});
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

    Config defaults = parse_ok({{"auth", {{"jwt", {{"hs256_secret_env", "S"}}}}}});
    EXPECT_EQ(defaults.auth.jwt->algorithms, std::vector<std::string>{"HS256"});
    EXPECT_EQ(defaults.auth.jwt->tenant_claim, "tenant_id");
    EXPECT_EQ(defaults.auth.jwt->user_claim, "sub");
    EXPECT_EQ(defaults.auth.jwt->leeway_seconds, 60u);

    expect_error_containing({{"auth", {{"jwt", json::object()}}}},
                            "auth.jwt: needs hs256_secret_env");
    expect_error({{"auth", {{"jwt", {{"jwks_file", "/k.json"}, {"algorithms", {"HS256"}}}}}}},
                 "auth.jwt.algorithms: HS256 needs auth.jwt.hs256_secret_env");
    expect_error({{"auth", {{"jwt", {{"hs256_secret_env", "S"}, {"algorithms", {"RS256"}}}}}}},
                 "auth.jwt.algorithms: RS256 needs auth.jwt.jwks_file");
    expect_error_containing({{"auth", {{"jwt", {{"hs256_secret_env", "S"}, {"algorithms", {"none"}}}}}}},
                            "auth.jwt.algorithms: unknown algorithm 'none'");
    expect_error({{"auth", {{"jwt", {{"hs256_secret", "s3cret"}}}}}},
                 "auth.jwt.hs256_secret: secrets do not belong in the config file; put the value "
                 "in an environment variable and name that variable in 'hs256_secret_env'");
    expect_error({{"auth", {{"jwt", {{"hs256_secret_env", "S"}, {"leeway_seconds", 4000}}}}}},
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

TEST(ProvidersSection, ModeLibraryAndCallLimits) {
    Config c = parse_ok(
        {{"providers",
          {{"google_calendar", json::object()},
           {"hubspot",
            {{"mode", "isolated"},
             {"library", "hubspot_v2.so"},
             {"call_timeout_ms", 5000},
             {"processes", 3},
             {"start_timeout_ms", 2500},
             {"restart_backoff_ms", 250}}}}}});
    const ProviderConfig& defaults = c.providers["google_calendar"];
    EXPECT_EQ(defaults.mode, PluginMode::in_process);
    EXPECT_EQ(defaults.call_timeout_ms, 30'000u);
    EXPECT_EQ(defaults.processes, 2u);
    EXPECT_EQ(defaults.start_timeout_ms, 10'000u);
    EXPECT_EQ(defaults.restart_backoff_ms, 1'000u);
    EXPECT_EQ(library_file_name("google_calendar", defaults), "google_calendar.so");
    const ProviderConfig& hubspot = c.providers["hubspot"];
    EXPECT_EQ(hubspot.mode, PluginMode::isolated);
    EXPECT_EQ(library_file_name("hubspot", hubspot), "hubspot_v2.so");
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
    Config c = parse_ok(
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
    EXPECT_EQ(c.providers["google_calendar"].client_id_env, "GOOGLE_CLIENT_ID");
    EXPECT_EQ(c.providers["google_calendar"].client_secret_env, "GOOGLE_CLIENT_SECRET");
    EXPECT_EQ(c.providers["gmail"].client_id_env, "GOOGLE_CLIENT_ID");
    EXPECT_EQ(c.providers["hubspot"].client_id_env, "HUBSPOT_CLIENT_ID");
    EXPECT_EQ(c.providers["hubspot"].client_secret_env, "HS_SECRET");
    EXPECT_EQ(c.providers["outlook_calendar"].client_id_env, "OUTLOOK_CLIENT_ID");
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

TEST(CredentialPrefix, GoogleProvidersShareOneClient) {
    EXPECT_EQ(default_credential_prefix("google_calendar"), "GOOGLE");
    EXPECT_EQ(default_credential_prefix("google_drive"), "GOOGLE");
    EXPECT_EQ(default_credential_prefix("gmail"), "GOOGLE");
    EXPECT_EQ(default_credential_prefix("hubspot"), "HUBSPOT");
    EXPECT_EQ(default_credential_prefix("zoho_crm"), "ZOHO");
}

TEST(LoadConfigFile, ReadsAFileAndResolvesPathsBesideIt) {
    auto dir = std::filesystem::temp_directory_path() / ("sb-config-test-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    auto file = dir / "switchboard.json";
    std::ofstream(file) << R"({"database": {"url": "sqlite://data/sb.db"},
                              "plugins": {"directory": "plugins"}})";
    auto c = load_config_file(file, MapEnvironment());
    ASSERT_TRUE(c) << c.error().message;
    EXPECT_EQ(c->source, file);
    EXPECT_EQ(c->database.sqlite_path, dir / "data" / "sb.db");
    EXPECT_EQ(*c->plugins.directory, dir / "plugins");

    std::ofstream(file) << R"({"server": {"port": 99999}})";
    auto bad = load_config_file(file, MapEnvironment());
    ASSERT_FALSE(bad);
    EXPECT_EQ(bad.error().field, "server.port");
    EXPECT_EQ(bad.error().message,
              file.string() + ": server.port: must be an integer between 0 and 65535");

    auto missing = load_config_file(dir / "nope.json", MapEnvironment());
    ASSERT_FALSE(missing);
    EXPECT_EQ(missing.error().kind, ErrorKind::not_found);
    EXPECT_EQ(missing.error().code, "config_not_found");
    EXPECT_NE(missing.error().message.find("nope.json"), std::string::npos);
    std::filesystem::remove_all(dir);
}

TEST(ShippedConfigs, EmbeddedDefaultParses) {
    auto c = load_config_file(std::filesystem::path(SB_CONFIG_DIR) / "switchboard.json",
                              MapEnvironment());
    ASSERT_TRUE(c) << c.error().message;
    EXPECT_EQ(c->server.listen, "127.0.0.1");
    EXPECT_EQ(c->server.port, 8080);
    EXPECT_EQ(c->database.backend, DatabaseBackend::sqlite);
    EXPECT_EQ(c->database.sqlite_path.filename(), "switchboard.db");
    EXPECT_EQ(c->database.sqlite_path.parent_path().filename(), "var");
    EXPECT_EQ(c->state_store.backend, StateStoreBackend::sql);
    EXPECT_FALSE(c->plugins.directory) << "the default looks beside the executable";
    for (const char* id : {"google_calendar", "gmail", "hubspot", "google_drive"}) {
        EXPECT_TRUE(c->provider_enabled(id)) << id;
    }
    ASSERT_EQ(c->auth.api_keys.size(), 1u);
}

TEST(ShippedConfigs, ProductionParses) {
    auto c = load_config_file(std::filesystem::path(SB_CONFIG_DIR) / "production.json",
                              MapEnvironment());
    ASSERT_TRUE(c) << c.error().message;
    EXPECT_EQ(c->database.backend, DatabaseBackend::postgresql);
    EXPECT_EQ(c->database.password_env, "SWITCHBOARD_DB_PASSWORD");
    EXPECT_EQ(c->state_store.backend, StateStoreBackend::redis);
    EXPECT_EQ(c->log.format, LogFormat::json);
    ASSERT_TRUE(c->auth.jwt);
    EXPECT_EQ(c->auth.jwt->algorithms, (std::vector<std::string>{"RS256", "ES256"}));
    EXPECT_TRUE(c->auth.api_keys.empty());
}

} // namespace
} // namespace switchboard
