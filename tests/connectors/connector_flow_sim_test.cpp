// The connector service end to end against the provider simulator (in-process, loopback),
// with the shipped plugins, SQLite in a temporary directory and the SQL state store: the
// authorization URL, the callback, encrypted storage, tenancy, invoke, refresh (with
// rotation), disconnect, and every failure the callback and the token code must handle.
#include "core/connectors/connector_runtime.hpp"
#include "core/oauth/oauth_client.hpp"
#include "tests/connectors/support/connector_world.hpp"

#include <boost/url/parse.hpp>
#include <gtest/gtest.h>
#include <prometheus/registry.h>
#include <soci/soci.h>

#include <functional>
#include <map>
#include <mutex>
#include <thread>

namespace switchboard::connectors {
namespace {

using testing::ConnectorWorld;
using testing::ConnectorWorldOptions;

using testing::alice;
using testing::mallory;
constexpr std::string_view sim_user = "sim.user@example.com";
constexpr std::string_view frontend = "https://app.example.test/settings/integrations?";

std::multimap<std::string, std::string> query_of(const std::string& url) {
    std::multimap<std::string, std::string> out;
    auto parsed = boost::urls::parse_uri(url);
    EXPECT_TRUE(parsed) << url;
    if (parsed) {
        for (auto param : parsed->params()) out.emplace(param.key, param.value);
    }
    return out;
}

std::string one(const std::multimap<std::string, std::string>& query, const std::string& key) {
    EXPECT_EQ(query.count(key), 1u) << key;
    auto it = query.find(key);
    return it == query.end() ? std::string() : it->second;
}

// The value of one sample of a metric family with exactly these labels, or -1.
double metric(prometheus::Registry& registry, const std::string& name,
              const std::map<std::string, std::string>& labels) {
    for (const auto& family : registry.Collect()) {
        if (family.name != name) continue;
        for (const auto& sample : family.metric) {
            std::map<std::string, std::string> have;
            for (const auto& label : sample.label) have[label.name] = label.value;
            if (have != labels) continue;
            if (family.type == prometheus::MetricType::Counter) return sample.counter.value;
            if (family.type == prometheus::MetricType::Histogram) {
                return static_cast<double>(sample.histogram.sample_count);
            }
        }
    }
    return -1;
}

class ConnectorFlowTest : public ::testing::Test {
protected:
    void SetUp() override { start({}); }

    void start(ConnectorWorldOptions options, RuntimeOverrides overrides = {}) {
        runtime.reset();
        world.reset(); // its plugins are unloaded before the next world loads them again
        world = ConnectorWorld::start(std::move(options));
        ASSERT_TRUE(world);
        runtime = world->make_runtime(metrics, std::move(overrides));
        ASSERT_TRUE(runtime);
    }

    ConnectorService& service() { return runtime->connectors(); }

    // Runs the whole flow for `provider`: authorize, the callback, and (unless the callback
    // failed or connected at once) the confirmation by `who`. The outcome is the callback's,
    // with the confirmed connector, or the confirmation's error code.
    CallbackOutcome connect(const Principal& who, const std::string& category,
                            const std::string& provider, const std::string& name = "Work") {
        auto outcome = callback(who, category, provider, name);
        if (!outcome.success || outcome.completion.empty()) return outcome;
        auto confirmed = service().confirm_connection(who, outcome.completion);
        if (!confirmed) {
            outcome.success = false;
            outcome.error_code = confirmed.error().code;
            outcome.connector.reset();
            return outcome;
        }
        outcome.connector = *confirmed;
        return outcome;
    }

    // Authorize and the callback only: the connection is parked, pending.
    CallbackOutcome callback(const Principal& who, const std::string& category,
                             const std::string& provider, const std::string& name = "Work") {
        auto started = service().start_authorization(who, {category, provider, name});
        EXPECT_TRUE(started) << started.error().code << ": " << started.error().message;
        if (!started) return {};
        return service().complete_authorization(world->authorize(started->authorization_url));
    }

    store::ConnectorCredentials credentials(const std::string& id) {
        auto c = world->repository()->get_credentials(alice.tenant_id, id);
        EXPECT_TRUE(c) << c.error().message;
        return c ? *c : store::ConnectorCredentials{};
    }

    std::shared_ptr<prometheus::Registry> metrics = std::make_shared<prometheus::Registry>();
    std::unique_ptr<ConnectorWorld> world;
    std::unique_ptr<ConnectorRuntime> runtime;
};

TEST_F(ConnectorFlowTest, GoogleAuthorizationUrlCarriesPkceScopesAndExtraParams) {
    auto started = service().start_authorization(alice, {"calendar", "google_calendar", "Work"});
    ASSERT_TRUE(started) << started.error().message;
    const std::string& url = started->authorization_url;
    EXPECT_TRUE(url.starts_with(world->sim().url("accounts.google.com/o/oauth2/v2/auth") + "?"))
        << url;
    auto q = query_of(url);
    EXPECT_EQ(one(q, "response_type"), "code");
    EXPECT_EQ(one(q, "client_id"), "sim-google-client-id");
    EXPECT_EQ(one(q, "redirect_uri"), "http://127.0.0.1:8080/api/v1/connectors/callback");
    EXPECT_EQ(one(q, "scope"), "https://www.googleapis.com/auth/calendar "
                               "https://www.googleapis.com/auth/calendar.events openid email");
    EXPECT_EQ(one(q, "state"), started->state);
    EXPECT_EQ(started->state.size(), 43u);
    EXPECT_EQ(one(q, "code_challenge").size(), 43u);
    EXPECT_EQ(one(q, "code_challenge_method"), "S256");
    EXPECT_EQ(one(q, "access_type"), "offline");
    EXPECT_EQ(one(q, "prompt"), "consent");
    EXPECT_EQ(q.size(), 9u);
    EXPECT_EQ(metric(*metrics, "switchboard_oauth_flows_total",
                     {{"provider", "google_calendar"}, {"outcome", "started"}}),
              1);
}

TEST_F(ConnectorFlowTest, HubSpotAuthorizationUrl) {
    auto started = service().start_authorization(alice, {"crm", "hubspot", "CRM"});
    ASSERT_TRUE(started) << started.error().message;
    auto q = query_of(started->authorization_url);
    EXPECT_TRUE(started->authorization_url.starts_with(
        world->sim().url("app.hubspot.com/oauth/authorize") + "?"));
    EXPECT_EQ(one(q, "client_id"), "sim-hubspot-client-id");
    EXPECT_EQ(one(q, "scope"), "crm.objects.contacts.read crm.objects.contacts.write "
                               "crm.objects.deals.read crm.objects.deals.write "
                               "crm.objects.companies.read oauth");
    EXPECT_EQ(one(q, "code_challenge_method"), "S256");
    EXPECT_EQ(one(q, "code_challenge").size(), 43u);
    EXPECT_EQ(q.count("access_type"), 0u);
    EXPECT_EQ(one(q, "state"), started->state);
}

TEST_F(ConnectorFlowTest, StartRefusesBadRequests) {
    auto unknown = service().start_authorization(alice, {"calendar", "outlook", "x"});
    ASSERT_FALSE(unknown);
    EXPECT_EQ(unknown.error().kind, ErrorKind::not_found);
    EXPECT_EQ(unknown.error().code, "provider_not_found");
    auto mismatch = service().start_authorization(alice, {"crm", "google_calendar", "x"});
    ASSERT_FALSE(mismatch);
    EXPECT_EQ(mismatch.error().code, "provider_type_mismatch");
    EXPECT_EQ(mismatch.error().field, "type");
    auto unnamed = service().start_authorization(alice, {"calendar", "google_calendar", ""});
    ASSERT_FALSE(unnamed);
    EXPECT_EQ(unnamed.error().code, "invalid_connector_name");
}

TEST_F(ConnectorFlowTest, ProvidersSayWhetherTheyAreConfigured) {
    auto all = service().providers();
    ASSERT_EQ(all.size(), 4u);
    for (const auto& p : all) {
        EXPECT_TRUE(p.configured) << p.provider;
        EXPECT_TRUE(p.requires_oauth);
        EXPECT_FALSE(p.actions.empty());
    }
    EXPECT_EQ(all.front().provider, "gmail");
    EXPECT_EQ(all.front().type, "email");

    world->environment().set("HUBSPOT_CLIENT_SECRET", "");
    auto unconfigured = world->make_runtime();
    ASSERT_TRUE(unconfigured);
    for (const auto& p : unconfigured->connectors().providers()) {
        EXPECT_EQ(p.configured, p.provider != "hubspot") << p.provider;
    }
    auto started = unconfigured->connectors().start_authorization(alice, {"crm", "hubspot", "x"});
    ASSERT_FALSE(started);
    EXPECT_EQ(started.error().code, "provider_not_configured");
    EXPECT_NE(started.error().message.find("HUBSPOT_CLIENT_SECRET"), std::string::npos);
}

TEST_F(ConnectorFlowTest, FullGoogleFlow) {
    testing::LogCapture logs;
    auto started = service().start_authorization(alice, {"calendar", "google_calendar", "Work"});
    ASSERT_TRUE(started);
    auto callback = world->authorize(started->authorization_url);
    ASSERT_TRUE(callback.code);
    const std::string code = *callback.code;
    auto outcome = service().complete_authorization(callback);
    ASSERT_TRUE(outcome.success) << outcome.error_code;
    // Parked, with a one-time completion code for the front end to confirm.
    ASSERT_EQ(outcome.completion.size(), 43u);
    EXPECT_EQ(outcome.redirect_url, std::string(frontend) +
                                        "success=true&provider=google_calendar&completion=" +
                                        outcome.completion);
    ASSERT_TRUE(outcome.connector);
    EXPECT_EQ(outcome.connector->status, store::ConnectorStatus::pending);
    auto confirmed = service().confirm_connection(alice, outcome.completion);
    ASSERT_TRUE(confirmed) << confirmed.error().message;
    EXPECT_EQ(confirmed->id, outcome.connector->id);
    const store::ConnectorSummary& connector = *confirmed;
    EXPECT_EQ(connector.tenant_id, "tenant-a");
    EXPECT_EQ(connector.user_id, "alice");
    EXPECT_EQ(connector.category, "calendar");
    EXPECT_EQ(connector.provider, "google_calendar");
    EXPECT_EQ(connector.name, "Work");
    EXPECT_EQ(connector.status, store::ConnectorStatus::active);
    EXPECT_EQ(connector.account_identity, sim_user);
    EXPECT_TRUE(connector.has_access_token);
    EXPECT_TRUE(connector.has_refresh_token);
    ASSERT_TRUE(connector.token_expires_at);
    EXPECT_GT(*connector.token_expires_at, std::chrono::system_clock::now());
    EXPECT_NE(std::find(connector.scopes.begin(), connector.scopes.end(),
                        "https://www.googleapis.com/auth/calendar.events"),
              connector.scopes.end());

    // Stored encrypted: the columns hold Fernet tokens that open to the tokens, not the tokens.
    const auto tokens = credentials(connector.id).tokens;
    ASSERT_FALSE(tokens.access_token.empty());
    ASSERT_TRUE(tokens.refresh_token);
    std::string access_cipher, refresh_cipher;
    ASSERT_TRUE(world->database()->with_session("test", [&](soci::session& sql) -> Result<void> {
        sql << "SELECT access_token_encrypted, refresh_token_encrypted FROM connector_accounts",
            soci::into(access_cipher), soci::into(refresh_cipher);
        return {};
    }));
    EXPECT_EQ(access_cipher.find(tokens.access_token), std::string::npos);
    EXPECT_EQ(refresh_cipher.find(*tokens.refresh_token), std::string::npos);
    EXPECT_EQ(world->keys()->decrypt(access_cipher).value(), tokens.access_token);
    EXPECT_EQ(world->keys()->decrypt(refresh_cipher).value(), *tokens.refresh_token);

    // Tenancy.
    auto mine = service().list(alice);
    ASSERT_TRUE(mine);
    ASSERT_EQ(mine->size(), 1u);
    EXPECT_EQ(mine->front().id, connector.id);
    EXPECT_TRUE(service().list(mallory)->empty());
    auto theirs = service().get(mallory, connector.id);
    ASSERT_FALSE(theirs);
    EXPECT_EQ(theirs.error().kind, ErrorKind::not_found);
    EXPECT_TRUE(service().get(alice, connector.id));
    EXPECT_EQ(service().invoke(mallory, connector.id, "list_events", "{}").error().kind,
              ErrorKind::not_found);

    // Invoke: the shipped plugin lists the (empty) day through the simulator.
    auto listed = service().invoke(alice, connector.id, "list_events",
                                   R"({"time_min":"2024-05-01T00:00:00Z","time_max":"2024-05-02T00:00:00Z"})");
    ASSERT_TRUE(listed) << listed.error().message;
    EXPECT_EQ(listed->at("events"), nlohmann::json::array());
    auto invalid = service().invoke(alice, connector.id, "list_events", R"({"time_min":"soon"})");
    ASSERT_FALSE(invalid);
    EXPECT_EQ(invalid.error().kind, ErrorKind::invalid_input);
    EXPECT_FALSE(invalid.error().field.empty());
    auto undeclared = service().invoke(alice, connector.id, "send_email", "{}");
    ASSERT_FALSE(undeclared);
    EXPECT_EQ(undeclared.error().kind, ErrorKind::unsupported);
    EXPECT_EQ(metric(*metrics, "switchboard_plugin_calls_total",
                     {{"provider", "google_calendar"}, {"action", "list_events"},
                      {"status", "ok"}}),
              1);
    EXPECT_EQ(metric(*metrics, "switchboard_plugin_calls_total",
                     {{"provider", "google_calendar"}, {"action", "unknown"},
                      {"status", "unsupported"}}),
              1);

    // Refresh on demand.
    const auto token_calls = world->sim().calls("oauth2.token");
    auto refreshed = service().refresh(alice, connector.id);
    ASSERT_TRUE(refreshed) << refreshed.error().message;
    EXPECT_EQ(refreshed->credential_version, connector.credential_version + 1);
    EXPECT_TRUE(refreshed->last_refreshed_at);
    EXPECT_EQ(world->sim().calls("oauth2.token"), token_calls + 1);
    const auto after = credentials(connector.id).tokens;
    EXPECT_NE(after.access_token, tokens.access_token);
    EXPECT_EQ(after.refresh_token, tokens.refresh_token); // Google sent none back: kept
    EXPECT_EQ(service().refresh(mallory, connector.id).error().kind, ErrorKind::not_found);

    // Disconnect: revoked at the simulator, gone here.
    ASSERT_TRUE(service().disconnect(alice, connector.id, {}));
    EXPECT_EQ(world->sim().calls("oauth2.revoke"), 1u);
    EXPECT_FALSE(world->sim().revoke_refresh_token(*tokens.refresh_token)); // already revoked
    EXPECT_EQ(service().get(alice, connector.id).error().kind, ErrorKind::not_found);
    EXPECT_EQ(service().disconnect(alice, connector.id, {}).error().kind, ErrorKind::not_found);

    EXPECT_TRUE(world->sim().validation_failures().empty());
    EXPECT_TRUE(runtime->check_ready());

    // Metrics.
    EXPECT_EQ(metric(*metrics, "switchboard_oauth_flows_total",
                     {{"provider", "google_calendar"}, {"outcome", "parked"}}),
              1);
    EXPECT_EQ(metric(*metrics, "switchboard_oauth_flows_total",
                     {{"provider", "google_calendar"}, {"outcome", "completed"}}),
              1);
    EXPECT_EQ(metric(*metrics, "switchboard_token_refreshes_total",
                     {{"provider", "google_calendar"}, {"outcome", "succeeded"}}),
              1);
    EXPECT_GE(metric(*metrics, "switchboard_provider_http_requests_total",
                     {{"provider", "google_calendar"}, {"status", "200"}}),
              4); // token, userinfo, refresh, revoke
    EXPECT_GE(metric(*metrics, "switchboard_plugin_call_duration_seconds",
                     {{"provider", "google_calendar"}, {"action", "list_events"}}),
              1);

    // No secret in any log line or metric.
    const std::string logged = logs.text();
    EXPECT_FALSE(logged.empty());
    std::string exposition;
    for (const auto& family : metrics->Collect()) {
        for (const auto& sample : family.metric) {
            for (const auto& label : sample.label) exposition += label.value + "\n";
        }
    }
    for (const std::string& secret :
         {tokens.access_token, *tokens.refresh_token, after.access_token, code, started->state,
          outcome.completion, std::string("sim-google-client-secret")}) {
        EXPECT_EQ(logged.find(secret), std::string::npos) << "a secret was logged";
        EXPECT_EQ(exposition.find(secret), std::string::npos) << "a secret is a metric label";
    }
}

TEST_F(ConnectorFlowTest, FullHubSpotFlow) {
    auto started = service().start_authorization(alice, {"crm", "hubspot", "CRM"});
    ASSERT_TRUE(started) << started.error().message;
    // PKCE with HubSpot too: the simulator checks the verifier on exchange.
    auto callback = world->authorize(started->authorization_url);
    auto outcome = service().complete_authorization(callback);
    ASSERT_TRUE(outcome.success) << outcome.error_code;
    EXPECT_EQ(outcome.redirect_url, std::string(frontend) + "success=true&provider=hubspot&completion=" +
                                        outcome.completion);
    auto confirmed = service().confirm_connection(alice, outcome.completion);
    ASSERT_TRUE(confirmed) << confirmed.error().message;
    outcome.connector = *confirmed;
    EXPECT_EQ(outcome.connector->account_identity, sim_user);
    EXPECT_EQ(outcome.connector->category, "crm");
    EXPECT_EQ(outcome.connector->scopes.size(), 6u)
        << "contacts and deals (read, write), companies (read), oauth";
    const auto tokens = credentials(outcome.connector->id).tokens;
    ASSERT_TRUE(tokens.refresh_token);

    auto refreshed = service().refresh(alice, outcome.connector->id);
    ASSERT_TRUE(refreshed) << refreshed.error().message;
    EXPECT_EQ(credentials(outcome.connector->id).tokens.refresh_token, tokens.refresh_token);

    ASSERT_TRUE(service().disconnect(alice, outcome.connector->id, {}));
    EXPECT_EQ(world->sim().calls("oauth_refresh_token_delete"), 1u);
    EXPECT_TRUE(world->sim().validation_failures().empty());
}

TEST_F(ConnectorFlowTest, RotatedRefreshTokensReplaceTheOldOnes) {
    auto settings = world->sim().settings();
    settings.rotate_refresh_tokens = true;
    world->sim().set_settings(settings);
    auto outcome = connect(alice, "calendar", "google_calendar");
    ASSERT_TRUE(outcome.success) << outcome.error_code;
    const std::string id = outcome.connector->id;
    const std::string first = *credentials(id).tokens.refresh_token;

    ASSERT_TRUE(service().refresh(alice, id));
    const std::string second = *credentials(id).tokens.refresh_token;
    EXPECT_NE(second, first);
    ASSERT_TRUE(service().refresh(alice, id)); // the rotated token works
    const std::string third = *credentials(id).tokens.refresh_token;
    EXPECT_NE(third, second);
    EXPECT_FALSE(world->sim().revoke_refresh_token(first)); // retired by the simulator
    EXPECT_EQ(service().get(alice, id)->status, store::ConnectorStatus::active);
}

TEST_F(ConnectorFlowTest, AccessDeniedStoresNothingAndConsumesTheState) {
    auto started = service().start_authorization(alice, {"calendar", "google_calendar", "Work"});
    ASSERT_TRUE(started);
    CallbackQuery denied;
    denied.state = started->state;
    denied.error = "access_denied";
    auto outcome = service().complete_authorization(denied);
    EXPECT_FALSE(outcome.success);
    EXPECT_EQ(outcome.error_code, "access_denied");
    EXPECT_EQ(outcome.redirect_url, std::string(frontend) + "success=false&error=access_denied");
    EXPECT_FALSE(outcome.connector);
    EXPECT_TRUE(service().list(alice)->empty());

    // The state was used up by the failed callback.
    CallbackQuery replay;
    replay.state = started->state;
    replay.code = "4/anything";
    EXPECT_EQ(service().complete_authorization(replay).error_code, "invalid_state");
    EXPECT_EQ(metric(*metrics, "switchboard_oauth_flows_total",
                     {{"provider", "google_calendar"}, {"outcome", "failed"}}),
              1);
}

TEST_F(ConnectorFlowTest, ProviderErrorsMapToStableCodesAndTheRedirectStaysHome) {
    const std::pair<const char*, const char*> table[] = {
        {"invalid_scope", "invalid_scope"},
        {"temporarily_unavailable", "provider_unavailable"},
        {"https://evil.example/?x=1", "provider_error"},
    };
    for (const auto& [error, code] : table) {
        auto started = service().start_authorization(alice, {"calendar", "google_calendar", "W"});
        ASSERT_TRUE(started);
        CallbackQuery q;
        q.state = started->state;
        q.error = error;
        q.error_description = "https://evil.example";
        auto outcome = service().complete_authorization(q);
        EXPECT_EQ(outcome.error_code, code);
        EXPECT_EQ(outcome.redirect_url, std::string(frontend) + "success=false&error=" + code);
    }
}

TEST_F(ConnectorFlowTest, MissingUnknownAndReplayedStates) {
    CallbackQuery none;
    none.code = "4/x";
    EXPECT_EQ(service().complete_authorization(none).error_code, "invalid_state");
    CallbackQuery unknown;
    unknown.code = "4/x";
    unknown.state = std::string(43, 'A');
    EXPECT_EQ(service().complete_authorization(unknown).error_code, "invalid_state");

    auto started = service().start_authorization(alice, {"calendar", "google_calendar", "Work"});
    ASSERT_TRUE(started);
    auto callback = world->authorize(started->authorization_url);
    ASSERT_TRUE(service().complete_authorization(callback).success);
    auto replayed = service().complete_authorization(callback);
    EXPECT_FALSE(replayed.success);
    EXPECT_EQ(replayed.error_code, "invalid_state");
    EXPECT_EQ(service().list(alice)->size(), 1u);

    auto again = service().start_authorization(alice, {"calendar", "google_calendar", "Work"});
    ASSERT_TRUE(again);
    CallbackQuery no_code;
    no_code.state = again->state;
    EXPECT_EQ(service().complete_authorization(no_code).error_code, "invalid_callback");
}

TEST_F(ConnectorFlowTest, AnExpiredStateIsRefused) {
    auto now = std::chrono::system_clock::now();
    RuntimeOverrides overrides;
    overrides.clock = [&now] { return now; };
    start({}, overrides);
    auto started = service().start_authorization(alice, {"calendar", "google_calendar", "Work"});
    ASSERT_TRUE(started);
    auto callback = world->authorize(started->authorization_url);
    now += std::chrono::seconds(301);
    auto outcome = service().complete_authorization(callback);
    EXPECT_EQ(outcome.error_code, "invalid_state");
    EXPECT_TRUE(service().list(alice)->empty());
    EXPECT_EQ(world->sim().calls("oauth2.token"), 0u);
}

TEST_F(ConnectorFlowTest, ExchangeFailuresStoreNothing) {
    sim::FaultRule fault;
    fault.prefix = "/oauth2.googleapis.com/token";
    fault.status = 500;
    fault.count = 1;
    world->sim().add_fault(fault);
    auto outcome = connect(alice, "calendar", "google_calendar");
    EXPECT_FALSE(outcome.success);
    EXPECT_EQ(outcome.error_code, "token_exchange_failed");
    EXPECT_EQ(outcome.redirect_url, std::string(frontend) + "success=false&error=token_exchange_failed");

    // A code the provider does not know.
    auto started = service().start_authorization(alice, {"calendar", "google_calendar", "Work"});
    ASSERT_TRUE(started);
    CallbackQuery bogus;
    bogus.state = started->state;
    bogus.code = "4/not-a-code";
    EXPECT_EQ(service().complete_authorization(bogus).error_code, "token_exchange_failed");
    EXPECT_TRUE(service().list(alice)->empty());
}

TEST_F(ConnectorFlowTest, IdentityFailureStoresNothing) {
    sim::FaultRule fault;
    fault.prefix = "/openidconnect.googleapis.com/";
    fault.status = 403;
    world->sim().add_fault(fault);
    auto outcome = connect(alice, "calendar", "google_calendar");
    EXPECT_EQ(outcome.error_code, "identity_failed");
    EXPECT_TRUE(service().list(alice)->empty());
}

TEST_F(ConnectorFlowTest, AnActiveDuplicateIsAlreadyConnected) {
    ASSERT_TRUE(connect(alice, "calendar", "google_calendar").success);
    auto second = connect(alice, "calendar", "google_calendar", "Again");
    EXPECT_FALSE(second.success);
    EXPECT_EQ(second.error_code, "already_connected");
    EXPECT_EQ(service().list(alice)->size(), 1u);
    // Another tenant may connect the same account.
    EXPECT_TRUE(connect(mallory, "calendar", "google_calendar").success);
}

TEST_F(ConnectorFlowTest, InvalidGrantOnRefreshRevokesAndAReconnectRestoresTheSameConnector) {
    testing::LogCapture logs;
    auto outcome = connect(alice, "calendar", "google_calendar");
    ASSERT_TRUE(outcome.success);
    const std::string id = outcome.connector->id;
    const std::string refresh_token = *credentials(id).tokens.refresh_token;
    ASSERT_GT(world->sim().revoke_refresh_tokens_of(std::string(sim_user)), 0u);

    auto refreshed = service().refresh(alice, id);
    ASSERT_FALSE(refreshed);
    EXPECT_EQ(refreshed.error().kind, ErrorKind::conflict);
    EXPECT_EQ(refreshed.error().code, "connector_revoked");
    auto summary = service().get(alice, id);
    ASSERT_TRUE(summary);
    EXPECT_EQ(summary->status, store::ConnectorStatus::revoked);
    EXPECT_NE(summary->last_error.find("invalid_grant"), std::string::npos) << summary->last_error;
    EXPECT_EQ(summary->last_error.find(refresh_token), std::string::npos);
    EXPECT_EQ(metric(*metrics, "switchboard_token_refreshes_total",
                     {{"provider", "google_calendar"}, {"outcome", "revoked"}}),
              1);
    auto invoked = service().invoke(alice, id, "list_events", "{}");
    ASSERT_FALSE(invoked);
    EXPECT_EQ(invoked.error().code, "connector_not_active");
    EXPECT_EQ(service().refresh(alice, id).error().code, "connector_revoked");

    // Connecting the same account again brings this connector back, once confirmed: until
    // then (and for anyone else's confirmation) it stays revoked with its old tokens.
    auto parked = callback(alice, "calendar", "google_calendar", "Renamed");
    ASSERT_TRUE(parked.success) << parked.error_code;
    EXPECT_NE(parked.connector->id, id);
    EXPECT_EQ(service().get(alice, id)->status, store::ConnectorStatus::revoked);
    EXPECT_EQ(*credentials(id).tokens.refresh_token, refresh_token);
    EXPECT_EQ(service().confirm_connection(mallory, parked.completion).error().code,
              "completion_forbidden");
    EXPECT_EQ(service().get(alice, id)->status, store::ConnectorStatus::revoked);
    EXPECT_EQ(*credentials(id).tokens.refresh_token, refresh_token);

    auto again = connect(alice, "calendar", "google_calendar", "Renamed");
    ASSERT_TRUE(again.success) << again.error_code;
    ASSERT_TRUE(again.connector);
    EXPECT_EQ(again.connector->id, id);
    EXPECT_EQ(again.connector->status, store::ConnectorStatus::active);
    EXPECT_TRUE(again.connector->last_error.empty());
    EXPECT_EQ(service().list(alice)->size(), 1u);
    EXPECT_NE(*credentials(id).tokens.refresh_token, refresh_token);
    EXPECT_EQ(logs.text().find(refresh_token), std::string::npos);
}

TEST_F(ConnectorFlowTest, DisconnectWhileTheProviderIsDownRemovesNothing) {
    auto outcome = connect(alice, "calendar", "google_calendar");
    ASSERT_TRUE(outcome.success);
    sim::FaultRule fault;
    fault.prefix = "/oauth2.googleapis.com/revoke";
    fault.status = 503;
    const auto rule = world->sim().add_fault(fault);
    auto failed = service().disconnect(alice, outcome.connector->id, {});
    ASSERT_FALSE(failed);
    EXPECT_EQ(failed.error().kind, ErrorKind::unavailable);
    EXPECT_EQ(failed.error().code, "provider_unavailable");
    EXPECT_TRUE(service().get(alice, outcome.connector->id));

    world->sim().remove_fault(rule);
    EXPECT_TRUE(service().disconnect(alice, outcome.connector->id, {}));
    EXPECT_FALSE(service().get(alice, outcome.connector->id));
}

TEST_F(ConnectorFlowTest, DisconnectOfAnAlreadyRevokedGrantProceeds) {
    auto outcome = connect(alice, "calendar", "google_calendar");
    ASSERT_TRUE(outcome.success);
    ASSERT_TRUE(world->sim().revoke_refresh_token(*credentials(outcome.connector->id).tokens.refresh_token));
    EXPECT_TRUE(service().disconnect(alice, outcome.connector->id, {}));
    EXPECT_TRUE(service().list(alice)->empty());
}

TEST_F(ConnectorFlowTest, ForceRemovesTheConnectorWhenTheProviderCannotRevokeAndSaysSo) {
    auto outcome = connect(alice, "calendar", "google_calendar");
    ASSERT_TRUE(outcome.success);
    sim::FaultRule fault;
    fault.prefix = "/oauth2.googleapis.com/revoke";
    fault.status = 503;
    world->sim().add_fault(fault);
    auto forced = service().disconnect(alice, outcome.connector->id, {.force = true});
    ASSERT_TRUE(forced) << forced.error().message;
    EXPECT_FALSE(forced->revoked_at_provider);
    EXPECT_EQ(forced->revocation_error, "provider_unavailable");
    EXPECT_EQ(service().get(alice, outcome.connector->id).error().kind, ErrorKind::not_found);

    // Forced while the provider does revoke: it says so.
    world->sim().clear_faults();
    auto second = connect(alice, "calendar", "google_calendar");
    ASSERT_TRUE(second.success) << second.error_code;
    auto clean = service().disconnect(alice, second.connector->id, {.force = true});
    ASSERT_TRUE(clean);
    EXPECT_TRUE(clean->revoked_at_provider);
    EXPECT_TRUE(clean->revocation_error.empty());
}

// Issue 10, point 1, in process: the callback parks the tokens for the principal who started
// the flow; anyone else's confirmation discards them and revokes them at the provider.
TEST_F(ConnectorFlowTest, AnotherPrincipalsConfirmationIsForbiddenAndRevokesTheTokens) {
    const Principal bob{"tenant-a", "bob"}; // alice's colleague
    for (const Principal& other : {mallory, bob}) {
        SCOPED_TRACE(other.tenant_id + "/" + other.user_id);
        auto parked = callback(alice, "calendar", "google_calendar");
        ASSERT_TRUE(parked.success) << parked.error_code;
        ASSERT_TRUE(parked.connector);
        const auto tokens = credentials(parked.connector->id).tokens;
        ASSERT_TRUE(tokens.refresh_token);
        const auto revokes = world->sim().calls("oauth2.revoke");

        auto refused = service().confirm_connection(other, parked.completion);
        ASSERT_FALSE(refused);
        EXPECT_EQ(refused.error().kind, ErrorKind::forbidden);
        EXPECT_EQ(refused.error().code, "completion_forbidden");
        EXPECT_EQ(world->sim().calls("oauth2.revoke"), revokes + 1);
        EXPECT_FALSE(world->sim().revoke_refresh_token(*tokens.refresh_token)) << "still live";
        EXPECT_TRUE(service().list(alice)->empty());
        EXPECT_TRUE(service().list(other)->empty());
        // The code is dead for its owner too.
        EXPECT_EQ(service().confirm_connection(alice, parked.completion).error().code,
                  "completion_not_found");
    }
    EXPECT_EQ(metric(*metrics, "switchboard_oauth_flows_total",
                     {{"provider", "google_calendar"}, {"outcome", "refused"}}),
              2);
}

TEST_F(ConnectorFlowTest, APendingConnectorIsUnusableAndShownToItsStarterOnlyWithoutIdentity) {
    const Principal bob{"tenant-a", "bob"};
    auto parked = callback(alice, "calendar", "google_calendar", "Pending");
    ASSERT_TRUE(parked.success) << parked.error_code;
    const std::string id = parked.connector->id;

    auto mine = service().list(alice);
    ASSERT_TRUE(mine);
    ASSERT_EQ(mine->size(), 1u);
    EXPECT_EQ(mine->front().status, store::ConnectorStatus::pending);
    EXPECT_TRUE(mine->front().account_identity.empty());
    EXPECT_TRUE(service().get(alice, id)->account_identity.empty());
    // Stored, though: confirmation needs it.
    EXPECT_EQ(world->repository()->get(alice.tenant_id, id)->account_identity, sim_user);

    EXPECT_TRUE(service().list(bob)->empty());
    const auto missing = service().get(bob, "00000000-0000-4000-8000-000000000000");
    const auto theirs = service().get(bob, id);
    ASSERT_FALSE(theirs);
    EXPECT_EQ(theirs.error().code, missing.error().code);
    EXPECT_EQ(service().invoke(bob, id, "list_events", "{}").error().kind, ErrorKind::not_found);
    EXPECT_EQ(service().disconnect(bob, id, {}).error().kind, ErrorKind::not_found);

    const auto calls_before = world->sim().calls("calendar.events.list");
    auto invoked = service().invoke(alice, id, "list_events", "{}");
    ASSERT_FALSE(invoked);
    EXPECT_EQ(invoked.error().code, "connector_not_active");
    auto refreshed = service().refresh(alice, id);
    ASSERT_FALSE(refreshed);
    EXPECT_EQ(refreshed.error().code, "connector_not_active");
    ActionRequest request;
    request.category = "calendar";
    request.action = "list_events";
    request.params_json = R"({"time_min":"2024-05-01T00:00:00Z","time_max":"2024-05-02T00:00:00Z"})";
    auto action = runtime->actions().run(alice, request);
    ASSERT_FALSE(action);
    EXPECT_EQ(action.error().code, "no_active_connector");
    request.connector_id = id;
    EXPECT_EQ(runtime->actions().run(alice, request).error().code, "no_active_connector");
    EXPECT_EQ(world->sim().calls("calendar.events.list"), calls_before);
    EXPECT_EQ(world->sim().calls("oauth2.token"), 1u) << "no refresh of a pending connector";

    auto confirmed = service().confirm_connection(alice, parked.completion);
    ASSERT_TRUE(confirmed) << confirmed.error().message;
    EXPECT_EQ(confirmed->account_identity, sim_user);
    EXPECT_TRUE(service().invoke(alice, id, "list_events", request.params_json));
}

TEST_F(ConnectorFlowTest, AnUnconfirmedConnectionIsRevokedOnceItsTimeIsUp) {
    auto now = std::chrono::system_clock::now();
    std::mutex clock_mutex;
    RuntimeOverrides overrides;
    overrides.clock = [&] {
        std::lock_guard lock(clock_mutex);
        return now;
    };
    overrides.pending_sweep_interval = std::chrono::milliseconds(20);
    start({}, overrides);
    auto parked = callback(alice, "calendar", "google_calendar");
    ASSERT_TRUE(parked.success) << parked.error_code;
    const auto tokens = credentials(parked.connector->id).tokens;
    runtime->start_background_refresh();

    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    EXPECT_EQ(service().list(alice)->size(), 1u) << "not before its time";
    {
        std::lock_guard lock(clock_mutex);
        now += std::chrono::seconds(300); // the state's TTL
    }
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (!service().list(alice)->empty() && std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    runtime->stop();
    EXPECT_TRUE(service().list(alice)->empty());
    EXPECT_EQ(world->sim().calls("oauth2.revoke"), 1u);
    EXPECT_FALSE(world->sim().revoke_refresh_token(*tokens.refresh_token));
    EXPECT_EQ(service().confirm_connection(alice, parked.completion).error().code,
              "completion_not_found");
}

TEST_F(ConnectorFlowTest, ARevocationThatFailsIsRetriedBySweepsAndGivenUpAfterADay) {
    auto now = std::chrono::system_clock::now();
    std::mutex clock_mutex;
    RuntimeOverrides overrides;
    overrides.clock = [&] {
        std::lock_guard lock(clock_mutex);
        return now;
    };
    overrides.pending_sweep_interval = std::chrono::milliseconds(20);
    start({}, overrides);
    auto advance = [&](std::chrono::seconds by) {
        std::lock_guard lock(clock_mutex);
        now += by;
    };
    auto parked = callback(alice, "calendar", "google_calendar");
    ASSERT_TRUE(parked.success) << parked.error_code;
    sim::FaultRule fault;
    fault.prefix = "/oauth2.googleapis.com/revoke";
    fault.status = 503;
    const auto rule = world->sim().add_fault(fault);

    // Refused, but the provider is down: the tokens wait for a sweep.
    EXPECT_EQ(service().confirm_connection(mallory, parked.completion).error().code,
              "completion_forbidden");
    EXPECT_EQ(service().list(alice)->size(), 1u);
    runtime->start_background_refresh();
    advance(std::chrono::seconds(121)); // the refusal's claim lapses: sweeps try again
    const auto retried = world->sim().calls("oauth2.revoke");
    auto wait_for = [&](const std::function<bool()>& done) {
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
        while (!done() && std::chrono::steady_clock::now() < deadline) {
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        }
        return done();
    };
    // Faulted answers are not counted as calls: count the attempts in the request log.
    auto attempts = [&] {
        std::size_t n = 0;
        for (const auto& r : world->sim().requests()) {
            if (r.path.find("/oauth2.googleapis.com/revoke") != std::string::npos) ++n;
        }
        return n;
    };
    EXPECT_TRUE(wait_for([&] { return attempts() >= 2; })) << "the sweep retried";
    EXPECT_EQ(service().list(alice)->size(), 1u) << "kept while revocation may still succeed";
    EXPECT_EQ(world->sim().calls("oauth2.revoke"), retried);

    // A day later it is deleted anyway (logged as an error).
    advance(std::chrono::hours(24));
    EXPECT_TRUE(wait_for([&] { return service().list(alice)->empty(); }));
    runtime->stop();
    world->sim().remove_fault(rule);
}

TEST_F(ConnectorFlowTest, ItsStarterCanCancelAPendingConnection) {
    auto parked = callback(alice, "crm", "hubspot");
    ASSERT_TRUE(parked.success) << parked.error_code;
    auto cancelled = service().disconnect(alice, parked.connector->id, {});
    ASSERT_TRUE(cancelled) << cancelled.error().message;
    EXPECT_TRUE(cancelled->revoked_at_provider);
    EXPECT_EQ(world->sim().calls("oauth_refresh_token_delete"), 1u);
    EXPECT_TRUE(service().list(alice)->empty());
    EXPECT_EQ(service().confirm_connection(alice, parked.completion).error().code,
              "completion_not_found");
}

TEST_F(ConnectorFlowTest, ConfirmationRefusesCodesItNeverIssued) {
    for (const std::string& code : {std::string(), std::string("short"), std::string(43, 'A'),
                                    std::string(43, '!'), std::string(300, 'a')}) {
        auto refused = service().confirm_connection(alice, code);
        ASSERT_FALSE(refused);
        EXPECT_EQ(refused.error().kind, ErrorKind::not_found);
        EXPECT_EQ(refused.error().code, "completion_not_found");
    }
}

TEST_F(ConnectorFlowTest, ImmediateModeActivatesAtOnceWithoutACompletionCode) {
    ConnectorWorldOptions options;
    start(options);
    world->config().connect.confirmation = config::ConnectConfirmation::immediate;
    runtime.reset();
    runtime = world->make_runtime();
    ASSERT_TRUE(runtime);
    auto outcome = callback(alice, "calendar", "google_calendar");
    ASSERT_TRUE(outcome.success) << outcome.error_code;
    EXPECT_TRUE(outcome.completion.empty());
    EXPECT_EQ(outcome.redirect_url, std::string(frontend) + "success=true&provider=google_calendar");
    ASSERT_TRUE(outcome.connector);
    EXPECT_EQ(outcome.connector->status, store::ConnectorStatus::active);
    EXPECT_EQ(callback(alice, "calendar", "google_calendar").error_code, "already_connected");
}

// Issue 10, point 6: HubSpot's identity includes the portal (hub_id). The simulator derives
// the portal from the login, so the other portal is simulated by the stored connector's.
TEST_F(ConnectorFlowTest, TheSameHubSpotLoginInAnotherPortalIsAnotherConnector) {
    ConnectorWorldOptions options;
    options.hubspot_identity_account_field = "/hub_id";
    start(options);
    auto first = connect(alice, "crm", "hubspot", "Portal one");
    ASSERT_TRUE(first.success) << first.error_code;
    const std::string hub_id = std::to_string(sim::SimState::hub_id_for(std::string(sim_user)));
    EXPECT_EQ(first.connector->account_identity, sim_user);
    EXPECT_EQ(first.connector->account_id, hub_id);
    // The same portal again is the same account.
    EXPECT_EQ(connect(alice, "crm", "hubspot", "Again").error_code, "already_connected");

    // Make the stored connector the login's connector in another portal, revoked.
    ASSERT_TRUE(world->repository()->set_account_id(alice.tenant_id, first.connector->id, "999"));
    ASSERT_TRUE(world->repository()->set_status(alice.tenant_id, first.connector->id,
                                                first.connector->credential_version,
                                                store::ConnectorStatus::revoked));
    auto second = connect(alice, "crm", "hubspot", "Portal two");
    ASSERT_TRUE(second.success) << second.error_code;
    EXPECT_NE(second.connector->id, first.connector->id) << "a silent repoint";
    EXPECT_EQ(second.connector->account_id, hub_id);
    EXPECT_EQ(second.connector->name, "Portal two");
    auto old = service().get(alice, first.connector->id);
    ASSERT_TRUE(old);
    EXPECT_EQ(old->status, store::ConnectorStatus::revoked);
    EXPECT_EQ(old->account_id, "999");

    // Both active side by side: two portals, two connectors.
    ASSERT_TRUE(world->repository()->set_status(alice.tenant_id, first.connector->id,
                                                first.connector->credential_version,
                                                store::ConnectorStatus::active));
    EXPECT_EQ(service().list(alice)->size(), 2u);
}

TEST_F(ConnectorFlowTest, StartUpErrorsNameTheVariable) {
    world->environment().set("CONNECTOR_ENCRYPTION_KEY", "not-a-key");
    auto bad = world->create_runtime();
    ASSERT_FALSE(bad);
    EXPECT_EQ(bad.error().code, "encryption_key_invalid");
    EXPECT_NE(bad.error().message.find("CONNECTOR_ENCRYPTION_KEY"), std::string::npos);
    EXPECT_EQ(bad.error().message.find("not-a-key"), std::string::npos);
}

} // namespace
} // namespace switchboard::connectors
