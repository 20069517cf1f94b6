// The connector service on the production stack: PostgreSQL for the tokens (and the
// idempotency keys and audit log) and Redis for the OAuth state, both real servers started by
// the fixtures, against the provider simulator. Also background refresh with two runtimes on
// one database: a token due within the window is refreshed exactly once.
#include "core/connectors/connector_runtime.hpp"
#include "tests/connectors/support/connector_world.hpp"
#include "tests/support/postgres_server.hpp"
#include "tests/support/redis_server.hpp"

#include <gtest/gtest.h>
#include <prometheus/registry.h>
#include <soci/soci.h>

#include <mutex>
#include <thread>

namespace switchboard::connectors {
namespace {

const Principal alice{"tenant-a", "alice"};

testing::RedisServer& redis() {
    static testing::RedisServer server;
    return server;
}

std::string redis_url() {
    return "redis://" + redis().host() + ":" + std::to_string(redis().port()) + "/0";
}

TEST(ConnectorIntegration, FullFlowOnPostgresAndRedis) {
    testing::ConnectorWorldOptions options;
    options.postgres = true;
    options.redis_url = redis_url();
    auto world = testing::ConnectorWorld::start(options);
    ASSERT_TRUE(world);
    auto runtime = world->make_runtime(std::make_shared<prometheus::Registry>());
    ASSERT_TRUE(runtime);
    ASSERT_TRUE(runtime->check_ready());
    ConnectorService& service = runtime->connectors();

    auto started = service.start_authorization(alice, {"calendar", "google_calendar", "Work"});
    ASSERT_TRUE(started) << started.error().message;
    // The state lives in Redis (under the hash of the state), not in PostgreSQL.
    EXPECT_EQ(redis().command("DBSIZE"), ":1");
    auto callback = world->authorize(started->authorization_url);
    auto outcome = service.complete_authorization(callback);
    ASSERT_TRUE(outcome.success) << outcome.error_code;
    EXPECT_EQ(redis().command("DBSIZE"), ":0");
    EXPECT_EQ(service.complete_authorization(callback).error_code, "invalid_state");
    // The completion code lives in PostgreSQL (as its hash, beside the pending row).
    auto confirmed = service.confirm_connection(alice, outcome.completion);
    ASSERT_TRUE(confirmed) << confirmed.error().message;
    EXPECT_EQ(service.confirm_connection(alice, outcome.completion).error().code,
              "completion_not_found");
    const std::string id = confirmed->id;

    auto credentials = world->repository()->get_credentials(alice.tenant_id, id);
    ASSERT_TRUE(credentials);
    std::string cipher;
    ASSERT_TRUE(world->database()->with_session("test", [&](soci::session& sql) -> Result<void> {
        sql << "SELECT access_token_encrypted FROM connector_accounts", soci::into(cipher);
        return {};
    }));
    EXPECT_EQ(cipher.find(credentials->tokens.access_token), std::string::npos);

    auto listed = service.invoke(alice, id, "list_events",
                                 R"({"time_min":"2024-05-01T00:00:00Z","time_max":"2024-05-02T00:00:00Z"})");
    ASSERT_TRUE(listed) << listed.error().message;
    EXPECT_EQ(listed->at("events"), nlohmann::json::array());
    ASSERT_TRUE(service.refresh(alice, id));
    ActionRequest request;
    request.category = "calendar";
    request.action = "list_events";
    request.params_json = R"({"time_min":"2024-05-01T00:00:00Z","time_max":"2024-05-02T00:00:00Z"})";
    request.idempotency_key = "k";
    auto first = runtime->actions().run(alice, request);
    ASSERT_TRUE(first) << first.error().message;
    EXPECT_FALSE(first->replayed);
    auto again = runtime->actions().run(alice, request); // the same idempotency key
    ASSERT_TRUE(again) << again.error().message;
    EXPECT_TRUE(again->replayed);
    EXPECT_EQ(again->result, first->result);
    ASSERT_TRUE(service.disconnect(alice, id, {}));
    EXPECT_FALSE(world->sim().revoke_refresh_token(*credentials->tokens.refresh_token));
    EXPECT_TRUE(service.list(alice)->empty());
    EXPECT_TRUE(world->sim().validation_failures().empty());
}

TEST(ConnectorIntegration, BackgroundRefreshRefreshesADueTokenOnceAcrossTwoRuntimes) {
    testing::ConnectorWorldOptions options;
    options.postgres = true;
    auto world = testing::ConnectorWorld::start(options);
    ASSERT_TRUE(world);
    RuntimeOverrides overrides;
    BackgroundRefreshOptions background;
    background.interval = std::chrono::milliseconds(50);
    background.window = std::chrono::seconds(300);
    background.lease_duration = std::chrono::seconds(60);
    overrides.background_refresh = background;
    auto first = world->make_runtime(nullptr, overrides);
    auto second = world->make_runtime(nullptr, overrides);
    ASSERT_TRUE(first && second);

    // Several connectors, each due (expiring within the window) and one that is not.
    auto repository = world->repository();
    std::vector<std::string> due;
    for (int i = 0; i < 4; ++i) {
        due.push_back(world->seed_connector(alice.tenant_id, "google_calendar", "calendar",
                                            "user" + std::to_string(i) + "@example.com",
                                            std::chrono::seconds(120)));
    }
    const std::string later = world->seed_connector(alice.tenant_id, "google_calendar", "calendar",
                                                    "later@example.com", std::chrono::hours(2));
    const auto refreshes_before = world->sim().calls("oauth2.token");

    first->start_background_refresh();
    second->start_background_refresh();
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    auto all_refreshed = [&] {
        for (const auto& id : due) {
            if (repository->get(alice.tenant_id, id)->credential_version < 2) return false;
        }
        return true;
    };
    while (!all_refreshed() && std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    ASSERT_TRUE(all_refreshed());
    // Proving a negative takes time: let both runtimes make many more passes.
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    first->stop();
    second->stop();

    EXPECT_EQ(world->sim().calls("oauth2.token"), refreshes_before + due.size());
    for (const auto& id : due) {
        auto summary = repository->get(alice.tenant_id, id);
        EXPECT_EQ(summary->credential_version, 2) << id;
        EXPECT_EQ(summary->status, store::ConnectorStatus::active);
        EXPECT_GT(*summary->token_expires_at,
                  std::chrono::system_clock::now() + std::chrono::minutes(30));
    }
    EXPECT_EQ(repository->get(alice.tenant_id, later)->credential_version, 1);
}

// Several instances on one PostgreSQL sweep unconfirmed connections together: each is
// revoked at the provider and deleted exactly once.
TEST(ConnectorIntegration, TwoRuntimesSweepEachExpiredPendingConnectionOnce) {
    testing::ConnectorWorldOptions options;
    options.postgres = true;
    auto world = testing::ConnectorWorld::start(options);
    ASSERT_TRUE(world);
    std::mutex clock_mutex;
    auto now = std::chrono::system_clock::now();
    RuntimeOverrides overrides;
    overrides.clock = [&] {
        std::lock_guard lock(clock_mutex);
        return now;
    };
    overrides.pending_sweep_interval = std::chrono::milliseconds(10);
    auto first = world->make_runtime(nullptr, overrides);
    auto second = world->make_runtime(nullptr, overrides);
    ASSERT_TRUE(first && second);

    constexpr int parked = 8;
    for (int i = 0; i < parked; ++i) {
        const Principal who{"tenant-" + std::to_string(i), "user"};
        auto started = first->connectors().start_authorization(who, {"calendar", "google_calendar", "Cal"});
        ASSERT_TRUE(started) << started.error().message;
        auto outcome = first->connectors().complete_authorization(
            world->authorize(started->authorization_url));
        ASSERT_TRUE(outcome.success) << outcome.error_code;
    }
    auto pending_rows = [&] {
        int count = -1;
        EXPECT_TRUE(world->database()->with_session("count", [&](soci::session& sql) -> Result<void> {
            sql << "SELECT COUNT(*) FROM connector_accounts WHERE status = 'pending'",
                soci::into(count);
            return {};
        }));
        return count;
    };
    ASSERT_EQ(pending_rows(), parked);
    {
        std::lock_guard lock(clock_mutex);
        now += std::chrono::seconds(301);
    }
    first->start_background_refresh();
    second->start_background_refresh();
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (pending_rows() != 0 && std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(200)); // more passes of both
    first->stop();
    second->stop();
    EXPECT_EQ(pending_rows(), 0);
    EXPECT_EQ(world->sim().calls("oauth2.revoke"), static_cast<std::size_t>(parked));
}

TEST(ConnectorIntegration, AnUnreachableRedisFailsStartUp) {
    testing::ConnectorWorldOptions options;
    options.postgres = true;
    testing::RedisServer stopped;
    options.redis_url = "redis://127.0.0.1:" + std::to_string(stopped.port()) + "/0";
    stopped.stop();
    auto world = testing::ConnectorWorld::start(options);
    ASSERT_TRUE(world);
    auto runtime = world->create_runtime();
    ASSERT_FALSE(runtime);
    EXPECT_EQ(runtime.error().kind, ErrorKind::unavailable);
    EXPECT_EQ(runtime.error().code, "state_store_unavailable");

    stopped.start();
    auto started = world->create_runtime();
    ASSERT_TRUE(started) << started.error().message;
    EXPECT_TRUE((*started)->check_ready());
    stopped.stop();
    auto ready = (*started)->check_ready();
    ASSERT_FALSE(ready);
    EXPECT_EQ(ready.error().code, "state_store_unavailable");
}

} // namespace
} // namespace switchboard::connectors
