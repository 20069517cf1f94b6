// The backends the OAuth state store suite runs against; each makes a store on a fresh,
// real server or database.
#pragma once

#include "core/oauth/redis_oauth_state_store.hpp"
#include "core/oauth/sql_oauth_state_store.hpp"
#include "tests/support/postgres_server.hpp"
#include "tests/support/redis_server.hpp"
#include "tests/support/temp_dir.hpp"

#include <gtest/gtest.h>

#include <memory>
#include <optional>

namespace switchboard::oauth::test {

class SqliteStateBackend {
public:
    std::unique_ptr<OAuthStateStore> make(OAuthStateStoreOptions options) {
        if (!database_) {
            dir_.emplace("sb-oauth-");
            auto opened = store::Database::open("sqlite://" + (dir_->path() / "state.db").string());
            if (!opened) throw std::runtime_error(opened.error().message);
            database_ = *opened;
        }
        return std::make_unique<SqlOAuthStateStore>(database_, std::move(options));
    }

private:
    std::optional<testing::TempDir> dir_;
    std::shared_ptr<store::Database> database_;
};

class PostgresStateBackend {
public:
    std::unique_ptr<OAuthStateStore> make(OAuthStateStoreOptions options) {
        if (!database_) {
            auto opened =
                store::Database::open(testing::shared_postgres_server().create_database());
            if (!opened) throw std::runtime_error(opened.error().message);
            database_ = *opened;
        }
        return std::make_unique<SqlOAuthStateStore>(database_, std::move(options));
    }

private:
    std::shared_ptr<store::Database> database_;
};

class RedisStateBackend {
public:
    std::unique_ptr<OAuthStateStore> make(OAuthStateStoreOptions options) {
        return std::make_unique<RedisOAuthStateStore>(redis_options(), std::move(options));
    }
    redis::RedisOptions redis_options() const {
        redis::RedisOptions redis;
        redis.host = server_.host();
        redis.port = server_.port();
        redis.connect_timeout = std::chrono::milliseconds(500);
        redis.command_timeout = std::chrono::milliseconds(500);
        return redis;
    }
    testing::RedisServer& server() { return server_; }

private:
    testing::RedisServer server_;
};

} // namespace switchboard::oauth::test
