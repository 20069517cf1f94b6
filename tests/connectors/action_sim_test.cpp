// Actions through the real plugin ABI: the test plugin `test_calendar` (tests/plugin/libs,
// good_one) sends `DELETE /events/<id>` through the host, here to a scripted loopback API,
// while tokens come from and refresh at the provider simulator's Google endpoints. Covers the
// ProviderHttpSession (bearer injection, 401 -> one refresh -> one retry, refresh before an
// expiring token is used, one refresh for concurrent calls), the mapping of plugin outcomes,
// and the ActionService (connector choice, Idempotency-Key, audit log).
#include "core/connectors/connector_runtime.hpp"
#include "core/store/action_audit_log.hpp"
#include "tests/connectors/support/connector_world.hpp"
#include "tests/http/test_http_server.hpp"

#include <gtest/gtest.h>
#include <prometheus/registry.h>
#include <soci/soci.h>

#include <future>
#include <mutex>
#include <set>
#include <thread>

namespace switchboard::connectors {
namespace {

using http::test_support::ReceivedRequest;
using http::test_support::ScriptedResponse;
using http::test_support::TestHttpServer;

using testing::alice;
using testing::mallory;

// The provider's API as the test scripts it.
class ScriptedApi {
public:
    ScriptedResponse handle(const ReceivedRequest& request) {
        const std::string prefix = "/api/events/";
        if (request.method != "DELETE" || !request.target.starts_with(prefix)) {
            return {404, {{"Content-Type", "application/json"}}, R"({"error":"no route"})"};
        }
        const std::string id = request.target.substr(prefix.size());
        const std::string bearer(request.header("authorization").value_or(""));
        {
            std::lock_guard guard(mutex_);
            if (reject_all_ || rejected_.contains(bearer)) {
                return {401, {{"Content-Type", "application/json"}}, R"({"error":"invalid_token"})"};
            }
        }
        if (id == "missing") return {404, {{"Content-Type", "application/json"}}, "{}"};
        if (id == "slow") {
            entered_.set_value();
            release_.wait();
        }
        return {200, {{"Content-Type", "application/json"}},
                R"({"deleted":true,"event_id":")" + id + R"("})"};
    }

    void reject(const std::string& access_token) {
        std::lock_guard guard(mutex_);
        rejected_.insert("Bearer " + access_token);
    }
    void reject_all() {
        std::lock_guard guard(mutex_);
        reject_all_ = true;
    }
    std::future<void> entered() { return entered_.get_future(); }
    void release() {
        std::lock_guard guard(mutex_);
        if (!released_) release_promise_.set_value();
        released_ = true;
    }

private:
    std::mutex mutex_;
    std::set<std::string> rejected_;
    bool reject_all_ = false;
    bool released_ = false;
    std::promise<void> entered_;
    std::promise<void> release_promise_;
    std::shared_future<void> release_ = release_promise_.get_future().share();
};

std::size_t count_target(const TestHttpServer& server, const std::string& target) {
    std::size_t n = 0;
    for (const auto& r : server.requests()) n += r.target == target ? 1 : 0;
    return n;
}

class ActionTest : public ::testing::Test {
protected:
    void SetUp() override {
        testing::ConnectorWorldOptions options;
        options.test_plugin_api_base = server.url("/api");
        world = testing::ConnectorWorld::start(options);
        ASSERT_TRUE(world);
        runtime = world->make_runtime(metrics);
        ASSERT_TRUE(runtime);
    }

    void TearDown() override {
        api.release(); // a failed test must not leave the API blocked
        runtime.reset();
        world.reset();
    }

    std::string seed(const std::string& user = "a@example.com",
                     std::chrono::seconds expires_in = std::chrono::seconds(3600)) {
        return world->seed_connector(alice.tenant_id, "test_calendar", "calendar", user, expires_in);
    }

    std::string access_token(const std::string& id) {
        return world->repository()->get_credentials(alice.tenant_id, id).value().tokens.access_token;
    }

    Result<nlohmann::json> delete_event(const std::string& id, const std::string& event) {
        return runtime->connectors().invoke(alice, id, "delete_event",
                                            R"({"event_id":")" + event + R"("})");
    }

    Result<ActionResult> act(const std::string& event, std::optional<std::string> key = {},
                             std::optional<std::string> connector_id = {}) {
        ActionRequest request;
        request.category = "calendar";
        request.action = "delete_event";
        request.params_json = R"({"event_id":")" + event + R"("})";
        request.idempotency_key = std::move(key);
        request.connector_id = std::move(connector_id);
        return runtime->actions().run(alice, request);
    }

    std::vector<store::ActionAuditEntry> audit() {
        store::ActionAuditLog log(world->database());
        return log.recent(alice.tenant_id).value();
    }

    ScriptedApi api;
    TestHttpServer server{[this](const ReceivedRequest& r) { return api.handle(r); }};
    std::shared_ptr<prometheus::Registry> metrics = std::make_shared<prometheus::Registry>();
    std::unique_ptr<testing::ConnectorWorld> world;
    std::unique_ptr<ConnectorRuntime> runtime;
};

TEST_F(ActionTest, InvokeInjectsTheBearerTokenAndReturnsTheResult) {
    const std::string id = seed();
    const std::string token = access_token(id);
    auto result = delete_event(id, "evt-1");
    ASSERT_TRUE(result) << result.error().code << ": " << result.error().message;
    EXPECT_EQ(*result, nlohmann::json::parse(R"({"deleted":true,"event_id":"evt-1"})"));
    auto requests = server.requests();
    ASSERT_EQ(requests.size(), 1u);
    EXPECT_EQ(requests[0].method, "DELETE");
    EXPECT_EQ(requests[0].target, "/api/events/evt-1");
    EXPECT_EQ(requests[0].header("authorization"), "Bearer " + token);
    EXPECT_EQ(requests[0].header("accept"), "application/json");
    EXPECT_EQ(world->sim().calls("oauth2.token"), 0u);
}

TEST_F(ActionTest, A401RefreshesOnceAndRetriesOnce) {
    const std::string id = seed();
    const std::string token = access_token(id);
    api.reject(token);
    auto result = delete_event(id, "evt-2");
    ASSERT_TRUE(result) << result.error().code << ": " << result.error().message;
    auto requests = server.requests();
    ASSERT_EQ(requests.size(), 2u);
    EXPECT_EQ(requests[0].header("authorization"), "Bearer " + token);
    const std::string fresh = access_token(id);
    EXPECT_NE(fresh, token);
    EXPECT_EQ(requests[1].header("authorization"), "Bearer " + fresh);
    EXPECT_EQ(world->sim().calls("oauth2.token"), 1u);
}

TEST_F(ActionTest, A401AfterTheRefreshIsNotRetriedAgain) {
    const std::string id = seed();
    api.reject_all();
    auto result = delete_event(id, "evt-3");
    ASSERT_FALSE(result);
    EXPECT_EQ(result.error().kind, ErrorKind::unavailable); // the plugin's provider_error
    EXPECT_EQ(result.error().code, "provider_error");
    EXPECT_EQ(server.requests().size(), 2u);
    EXPECT_EQ(world->sim().calls("oauth2.token"), 1u);
}

TEST_F(ActionTest, AnExpiringTokenIsRefreshedBeforeItIsUsed) {
    const std::string id = seed("a@example.com", std::chrono::seconds(30));
    const std::string token = access_token(id);
    ASSERT_TRUE(delete_event(id, "evt-4"));
    EXPECT_EQ(world->sim().calls("oauth2.token"), 1u);
    auto requests = server.requests();
    ASSERT_EQ(requests.size(), 1u);
    EXPECT_NE(requests[0].header("authorization"), "Bearer " + token);
    EXPECT_EQ(requests[0].header("authorization"), "Bearer " + access_token(id));
}

TEST_F(ActionTest, ConcurrentCallsShareOneRefresh) {
    const std::string id = seed("a@example.com", std::chrono::seconds(30));
    std::vector<std::thread> threads;
    std::atomic<int> ok{0};
    for (int i = 0; i < 8; ++i) {
        threads.emplace_back([&, i] {
            if (delete_event(id, "evt-c" + std::to_string(i))) ++ok;
        });
    }
    for (auto& t : threads) t.join();
    EXPECT_EQ(ok.load(), 8);
    EXPECT_EQ(world->sim().calls("oauth2.token"), 1u);
    EXPECT_EQ(server.requests().size(), 8u);
}

TEST_F(ActionTest, InvalidGrantDuringAnInvokeRevokesTheConnector) {
    const std::string id = seed("a@example.com", std::chrono::seconds(30));
    ASSERT_GT(world->sim().revoke_refresh_tokens_of("a@example.com"), 0u);
    auto result = delete_event(id, "evt-5");
    ASSERT_FALSE(result);
    EXPECT_EQ(result.error().kind, ErrorKind::conflict);
    EXPECT_EQ(result.error().code, "connector_revoked");
    EXPECT_TRUE(server.requests().empty());
    EXPECT_EQ(runtime->connectors().get(alice, id)->status, store::ConnectorStatus::revoked);
}

TEST_F(ActionTest, PluginOutcomesMapToErrors) {
    const std::string id = seed();
    auto missing = delete_event(id, "missing");
    ASSERT_FALSE(missing);
    EXPECT_EQ(missing.error().kind, ErrorKind::not_found);
    EXPECT_EQ(missing.error().code, "not_found");
    EXPECT_EQ(missing.error().message, "the provider has no such object");

    auto broken = delete_event(id, "sbt-no-error"); // UNAVAILABLE without an error object
    ASSERT_FALSE(broken);
    EXPECT_EQ(broken.error().kind, ErrorKind::upstream_failed);
    EXPECT_EQ(broken.error().code, "plugin_contract_violation");

    auto invalid = runtime->connectors().invoke(alice, id, "delete_event", R"({"event":"x"})");
    ASSERT_FALSE(invalid);
    EXPECT_EQ(invalid.error().kind, ErrorKind::invalid_input);

    auto undeclared = runtime->connectors().invoke(alice, id, "create_event", "{}");
    ASSERT_FALSE(undeclared);
    EXPECT_EQ(undeclared.error().kind, ErrorKind::unsupported);
}

TEST_F(ActionTest, ActionsRunOnTheTenantsActiveConnector) {
    auto none = act("evt-6");
    ASSERT_FALSE(none);
    EXPECT_EQ(none.error().kind, ErrorKind::not_found);
    EXPECT_EQ(none.error().code, "no_active_connector");

    const std::string id = seed();
    auto done = act("evt-6");
    ASSERT_TRUE(done) << done.error().message;
    EXPECT_EQ(done->connector_id, id);
    EXPECT_EQ(done->provider, "test_calendar");
    EXPECT_FALSE(done->replayed);
    EXPECT_EQ(done->result["event_id"], "evt-6");

    // Another tenant sees none of alice's connectors.
    ActionRequest theirs;
    theirs.category = "calendar";
    theirs.action = "delete_event";
    theirs.params_json = R"({"event_id":"x"})";
    EXPECT_EQ(runtime->actions().run(mallory, theirs).error().code, "no_active_connector");

    const std::string second = seed("b@example.com");
    auto ambiguous = act("evt-7");
    ASSERT_FALSE(ambiguous);
    EXPECT_EQ(ambiguous.error().code, "ambiguous_connector");
    EXPECT_EQ(ambiguous.error().kind, ErrorKind::conflict);
    auto chosen = act("evt-7", std::nullopt, second);
    ASSERT_TRUE(chosen);
    EXPECT_EQ(chosen->connector_id, second);
    ActionRequest by_name;
    by_name.category = "calendar";
    by_name.action = "delete_event";
    by_name.params_json = R"({"event_id":"evt-8"})";
    by_name.connector_name = "seeded b@example.com";
    auto named = runtime->actions().run(alice, by_name);
    ASSERT_TRUE(named);
    EXPECT_EQ(named->connector_id, second);
    EXPECT_EQ(act("evt-9", std::nullopt, "00000000-0000-4000-8000-00000000dead").error().code,
              "no_active_connector");

    ActionRequest bad;
    bad.category = "calendar";
    bad.action = "Delete-Event";
    EXPECT_EQ(runtime->actions().run(alice, bad).error().code, "invalid_action");
}

TEST_F(ActionTest, AnIdempotencyKeyRunsTheActionOnce) {
    seed();
    auto first = act("evt-k1", "key-1");
    ASSERT_TRUE(first) << first.error().message;
    EXPECT_FALSE(first->replayed);
    auto second = act("evt-k1", "key-1");
    ASSERT_TRUE(second) << second.error().message;
    EXPECT_TRUE(second->replayed);
    EXPECT_EQ(second->result, first->result);
    EXPECT_EQ(second->connector_id, first->connector_id);
    EXPECT_EQ(count_target(server, "/api/events/evt-k1"), 1u);

    auto reused = act("evt-other", "key-1");
    ASSERT_FALSE(reused);
    EXPECT_EQ(reused.error().kind, ErrorKind::conflict);
    EXPECT_EQ(reused.error().code, "idempotency_key_reused");
    EXPECT_EQ(count_target(server, "/api/events/evt-other"), 0u);

    // Failures are not kept: the same key runs again.
    EXPECT_EQ(act("missing", "key-2").error().code, "not_found");
    EXPECT_EQ(act("missing", "key-2").error().code, "not_found");
    EXPECT_EQ(count_target(server, "/api/events/missing"), 2u);

    EXPECT_EQ(act("evt-k1", "bad key").error().code, "invalid_idempotency_key");
}

// Issue 10, point 5 (d): the same key and params aimed at another connector is another
// request; replaying the first connector's result for it would tell the caller that an
// action ran where it never did.
TEST_F(ActionTest, AnIdempotencyKeyIsBoundToTheConnectorItRanOn) {
    const std::string first = seed();
    const std::string second = seed("b@example.com");
    auto on_first = act("evt-c1", "key-c", first);
    ASSERT_TRUE(on_first) << on_first.error().message;
    EXPECT_EQ(on_first->connector_id, first);

    auto on_second = act("evt-c1", "key-c", second);
    ASSERT_FALSE(on_second) << "replayed connector " << on_second->connector_id
                            << "'s result for a request on " << second;
    EXPECT_EQ(on_second.error().kind, ErrorKind::conflict);
    EXPECT_EQ(on_second.error().code, "idempotency_key_reused");
    EXPECT_EQ(count_target(server, "/api/events/evt-c1"), 1u);

    auto again = act("evt-c1", "key-c", first);
    ASSERT_TRUE(again) << again.error().message;
    EXPECT_TRUE(again->replayed);
    EXPECT_EQ(again->connector_id, first);
}

// A completed request is still answered after its connector was disconnected: the replay
// needs no connector, only the same request on the connector it ran on.
TEST_F(ActionTest, AReplayNeedsNoConnectorOnceTheActionRan) {
    const std::string id = seed();
    ASSERT_TRUE(act("evt-r1", "key-r"));
    ASSERT_TRUE(world->repository()->remove(alice.tenant_id, id));
    auto replay = act("evt-r1", "key-r");
    ASSERT_TRUE(replay) << replay.error().code;
    EXPECT_TRUE(replay->replayed);
    EXPECT_EQ(replay->connector_id, id);
    EXPECT_EQ(act("evt-other", "key-r").error().code, "no_active_connector");
    EXPECT_EQ(act("evt-r1", "key-unused").error().code, "no_active_connector");
    EXPECT_EQ(count_target(server, "/api/events/evt-r1"), 1u);
}

TEST_F(ActionTest, AConcurrentDuplicateDoesNotRunTwice) {
    seed();
    auto entered = api.entered();
    auto first = std::async(std::launch::async, [&] { return act("slow", "key-slow"); });
    ASSERT_EQ(entered.wait_for(std::chrono::seconds(30)), std::future_status::ready);
    auto duplicate = act("slow", "key-slow");
    ASSERT_FALSE(duplicate);
    EXPECT_EQ(duplicate.error().kind, ErrorKind::conflict);
    EXPECT_EQ(duplicate.error().code, "idempotency_key_in_progress");
    api.release();
    auto done = first.get();
    ASSERT_TRUE(done) << done.error().message;
    EXPECT_FALSE(done->replayed);
    auto later = act("slow", "key-slow");
    ASSERT_TRUE(later);
    EXPECT_TRUE(later->replayed);
    EXPECT_EQ(count_target(server, "/api/events/slow"), 1u);
}

TEST_F(ActionTest, EveryActionCallIsAuditedWithoutItsParams) {
    const std::string id = seed();
    ASSERT_TRUE(act("secret-event-1", "audit-key"));
    ASSERT_TRUE(act("secret-event-1", "audit-key"));
    ASSERT_FALSE(act("missing"));
    auto rows = audit();
    ASSERT_EQ(rows.size(), 3u);
    std::multiset<std::string> outcomes;
    for (const auto& row : rows) {
        outcomes.insert(std::string(store::to_string(row.outcome)));
        EXPECT_EQ(row.tenant_id, "tenant-a");
        EXPECT_EQ(row.user_id, "alice");
        EXPECT_EQ(row.connector_id, id);
        EXPECT_EQ(row.provider, "test_calendar");
        EXPECT_EQ(row.category, "calendar");
        EXPECT_EQ(row.action, "delete_event");
        if (row.outcome == store::ActionOutcome::failed) {
            EXPECT_EQ(row.error_code, "not_found");
        } else {
            EXPECT_TRUE(row.error_code.empty());
        }
    }
    EXPECT_EQ(outcomes, (std::multiset<std::string>{"failed", "replayed", "succeeded"}));

    // No column of the audit table holds the params.
    std::string dump;
    ASSERT_TRUE(world->database()->with_session("test", [&](soci::session& sql) -> Result<void> {
        soci::rowset<soci::row> all = (sql.prepare << "SELECT * FROM action_audit_log");
        for (const auto& row : all) {
            for (std::size_t i = 0; i < row.size(); ++i) {
                if (row.get_indicator(i) == soci::i_null) continue;
                if (row.get_properties(i).get_data_type() == soci::dt_string) {
                    dump += row.get<std::string>(i) + "|";
                }
            }
        }
        return {};
    }));
    EXPECT_NE(dump.find("delete_event"), std::string::npos);
    EXPECT_EQ(dump.find("secret-event-1"), std::string::npos) << dump;
}

// The call timeout bounds the plugin's HTTP through the host too: a provider that never
// answers costs the call its timeout (504 plugin_timeout), not the HTTP client's 30 s.
class ActionTimeoutTest : public ActionTest {
protected:
    void SetUp() override {
        testing::ConnectorWorldOptions options;
        options.test_plugin_api_base = server.url("/api");
        options.test_plugin_call_timeout_ms = 400;
        world = testing::ConnectorWorld::start(options);
        ASSERT_TRUE(world);
        runtime = world->make_runtime(metrics);
        ASSERT_TRUE(runtime);
    }
};

TEST_F(ActionTimeoutTest, AStalledProviderCostsTheCallItsTimeoutNotTheHttpClients) {
    const std::string id = seed();
    auto entered = api.entered();
    const auto started = std::chrono::steady_clock::now();
    auto stalled = delete_event(id, "slow");
    const auto took = std::chrono::steady_clock::now() - started;
    ASSERT_FALSE(stalled);
    EXPECT_EQ(stalled.error().kind, ErrorKind::timeout) << stalled.error().message;
    EXPECT_EQ(stalled.error().code, "plugin_timeout");
    EXPECT_EQ(entered.wait_for(std::chrono::seconds(0)), std::future_status::ready)
        << "the request reached the provider";
    EXPECT_GE(took, std::chrono::milliseconds(390));
    EXPECT_LT(took, std::chrono::milliseconds(5000)) << "bounded by the call, not the client";
    api.release();

    auto ok = delete_event(id, "e1");
    ASSERT_TRUE(ok) << ok.error().message;
}

} // namespace
} // namespace switchboard::connectors
