// What ConnectorRuntime::create derives from the Config and the Environment.
#include "core/connectors/runtime_config.hpp"

#include <boost/url/parse.hpp>
#include <gtest/gtest.h>

namespace switchboard::connectors {
namespace {

TEST(RuntimeConfig, TheRefreshSectionIsTheBackgroundRefreshPolicy) {
    config::RefreshConfig c;
    c.window_seconds = 600;
    c.jitter_seconds = 120;
    c.interval_seconds = 15;
    c.concurrency = 6;
    c.per_provider_concurrency = 3;
    c.failure_backoff_base_seconds = 45;
    c.failure_backoff_max_seconds = 900;
    c.lease_seconds = 20;
    const BackgroundRefreshOptions o = background_refresh_options(c);
    EXPECT_EQ(o.window, std::chrono::seconds(600));
    EXPECT_EQ(o.jitter, std::chrono::seconds(120));
    EXPECT_EQ(o.interval, std::chrono::seconds(15));
    EXPECT_EQ(o.concurrency, 6u);
    EXPECT_EQ(o.per_provider_concurrency, 3u);
    EXPECT_EQ(o.failure_backoff_base, std::chrono::seconds(45));
    EXPECT_EQ(o.failure_backoff_max, std::chrono::seconds(900));
    EXPECT_EQ(o.lease_duration, std::chrono::seconds(20));
}

TEST(RuntimeConfig, FailureBackoffDoublesUpToItsMaximum) {
    using std::chrono::seconds;
    EXPECT_EQ(failure_backoff(0, seconds(60), seconds(3600)), seconds(60));
    EXPECT_EQ(failure_backoff(1, seconds(60), seconds(3600)), seconds(60));
    EXPECT_EQ(failure_backoff(2, seconds(60), seconds(3600)), seconds(120));
    EXPECT_EQ(failure_backoff(4, seconds(60), seconds(3600)), seconds(480));
    EXPECT_EQ(failure_backoff(7, seconds(60), seconds(3600)), seconds(3600));
    EXPECT_EQ(failure_backoff(1000, seconds(60), seconds(3600)), seconds(3600));
}

TEST(RuntimeConfig, SqliteUrls) {
    config::MapEnvironment env;
    config::DatabaseConfig c;
    c.backend = config::DatabaseBackend::sqlite;
    c.sqlite_path = "/var/lib/switchboard/sb.db";
    EXPECT_EQ(database_url(c, env).value(), "sqlite:///var/lib/switchboard/sb.db");
    c.sqlite_path = ":memory:";
    EXPECT_EQ(database_url(c, env).value(), "sqlite::memory:");
}

TEST(RuntimeConfig, PostgresPasswordComesFromTheNamedVariable) {
    config::MapEnvironment env(
        std::map<std::string, std::string>{{"SB_DB_PASSWORD", "p@ss word/:"}});
    config::DatabaseConfig c;
    c.backend = config::DatabaseBackend::postgresql;
    c.postgresql_url = "postgresql://switchboard@db.internal:5432/sb?sslmode=require";
    c.password_env = "SB_DB_PASSWORD";
    auto url = database_url(c, env);
    ASSERT_TRUE(url);
    auto parsed = boost::urls::parse_uri(*url);
    ASSERT_TRUE(parsed) << *url;
    EXPECT_EQ(parsed->password(), "p@ss word/:");
    EXPECT_EQ(parsed->user(), "switchboard");
    EXPECT_EQ(parsed->host(), "db.internal");
    EXPECT_EQ(parsed->port(), "5432");
    EXPECT_EQ(parsed->path(), "/sb");
    EXPECT_EQ(parsed->query(), "sslmode=require");

    c.password_env = "SB_DB_PASSWORD_UNSET";
    auto missing = database_url(c, env);
    ASSERT_FALSE(missing);
    EXPECT_EQ(missing.error().code, "database_password_missing");
    EXPECT_NE(missing.error().message.find("SB_DB_PASSWORD_UNSET"), std::string::npos);

    c.password_env.reset();
    EXPECT_EQ(database_url(c, env).value(), c.postgresql_url);
}

TEST(RuntimeConfig, RedisOptions) {
    config::MapEnvironment env(std::map<std::string, std::string>{{"REDIS_PW", "hunter2"}});
    config::StateStoreConfig c;
    c.backend = config::StateStoreBackend::redis;
    c.redis.url = "redis://redis.internal:6380/3";
    c.redis.password_env = "REDIS_PW";
    c.timeout_ms = 1500;
    auto options = redis_options(c, env);
    ASSERT_TRUE(options) << options.error().message;
    EXPECT_EQ(options->host, "redis.internal");
    EXPECT_EQ(options->port, 6380);
    EXPECT_EQ(options->database, 3);
    EXPECT_EQ(options->password, "hunter2");
    EXPECT_EQ(options->connect_timeout, std::chrono::milliseconds(1500));
    EXPECT_EQ(options->command_timeout, std::chrono::milliseconds(1500));

    c.redis.url = "redis://127.0.0.1";
    c.redis.password_env.reset();
    options = redis_options(c, env);
    ASSERT_TRUE(options);
    EXPECT_EQ(options->port, 6379);
    EXPECT_EQ(options->database, 0);
    EXPECT_TRUE(options->password.empty());

    c.redis.url = "redis://h/x";
    EXPECT_EQ(redis_options(c, env).error().code, "invalid_redis_url");
    c.redis.url = "rediss://h:6380";
    c.redis.ca_file = "/etc/switchboard/redis-ca.pem";
    options = redis_options(c, env);
    ASSERT_TRUE(options) << options.error().message;
    ASSERT_TRUE(options->tls);
    EXPECT_EQ(options->tls->ca_file, "/etc/switchboard/redis-ca.pem");
    EXPECT_EQ(options->port, 6380);
    c.redis.ca_file.reset();
    c.redis.url = "redis://h";
    c.redis.password_env = "NOPE";
    auto missing = redis_options(c, env);
    ASSERT_FALSE(missing);
    EXPECT_EQ(missing.error().code, "redis_password_missing");
    EXPECT_NE(missing.error().message.find("NOPE"), std::string::npos);
}

TEST(RuntimeConfig, RateLimitRedisOptionsNameTheirKeysAndTheirErrors) {
    config::MapEnvironment env(std::map<std::string, std::string>{{"RL_PW", "s3cret"}});
    config::RateLimitsConfig c;
    c.backend = config::RateLimitBackend::redis;
    c.redis.url = "redis://limits.internal:6390/2";
    c.redis.password_env = "RL_PW";
    c.timeout_ms = 250;
    auto options = rate_limit_redis_options(c, env);
    ASSERT_TRUE(options) << options.error().message;
    EXPECT_EQ(options->host, "limits.internal");
    EXPECT_EQ(options->port, 6390);
    EXPECT_EQ(options->database, 2);
    EXPECT_EQ(options->password, "s3cret");
    EXPECT_EQ(options->command_timeout, std::chrono::milliseconds(250));
    EXPECT_EQ(options->error_code, "rate_limit_store_unavailable");

    c.redis.url = "redis://h/x";
    auto invalid = rate_limit_redis_options(c, env);
    ASSERT_FALSE(invalid);
    EXPECT_EQ(invalid.error().code, "invalid_redis_url");
    EXPECT_EQ(invalid.error().field, "rate_limits.redis_url");
}

TEST(RuntimeConfig, RedirectUriAndFrontend) {
    config::PublicUrlsConfig urls;
    urls.api_base_url = "https://connect.example.com/";
    EXPECT_EQ(callback_redirect_uri(urls), "https://connect.example.com/api/v1/connectors/callback");
    EXPECT_EQ(frontend_url(urls), "https://connect.example.com");
    urls.frontend_url = "https://app.example.com/";
    EXPECT_EQ(frontend_url(urls), "https://app.example.com");
}

} // namespace
} // namespace switchboard::connectors
