// Each connector event produced by the real flow — the OAuth flow and its confirmation, a
// refresh, a refresh the provider fails, a refresh refused as invalid_grant, an access token
// expired without a refresh token, a disconnect — against the provider simulator, pushed to a
// real webhook receiver with a signature Python's hmac accepts, and listed by the feed in the
// same order. A receiver that is down, then refuses, then takes them gets every event, each
// connector's in order; the delivery's metrics say what happened meanwhile.
#include "core/events/event_json.hpp"
#include "tests/connectors/support/connector_world.hpp"
#include "tests/events/python_verifier.hpp"
#include "tests/events/webhook_receiver.hpp"

#include <gtest/gtest.h>
#include <prometheus/registry.h>
#include <soci/soci.h>

#include <map>

namespace switchboard::events {
namespace {

using connectors::Principal;
using nlohmann::json;
using test::WebhookReceiver;

constexpr const char* kSecret = "whsec-sim-test-0123456789abcdef";

// The value of the sample of `name` with exactly `labels`, or -1.
double metric(prometheus::Registry& registry, const std::string& name,
              const std::map<std::string, std::string>& labels) {
    for (const auto& family : registry.Collect()) {
        if (family.name != name) continue;
        for (const auto& sample : family.metric) {
            std::map<std::string, std::string> have;
            for (const auto& label : sample.label) have[label.name] = label.value;
            if (have != labels) continue;
            if (family.type == prometheus::MetricType::Counter) return sample.counter.value;
            if (family.type == prometheus::MetricType::Gauge) return sample.gauge.value;
        }
    }
    return -1;
}

class EventsSimTest : public ::testing::Test {
protected:
    void start(config::ConnectConfirmation confirmation = config::ConnectConfirmation::required) {
        world = testing::ConnectorWorld::start({});
        ASSERT_TRUE(world);
        config::Config& c = world->config();
        c.events.webhooks = {{"product", receiver.url(), "SB_TEST_WEBHOOK_SECRET"}};
        c.events.poll_interval_ms = 50;
        c.events.retry_base_seconds = 1;
        c.events.retry_max_seconds = 1;
        c.events.timeout_ms = 2000;
        c.events.lease_seconds = 10;
        c.connect.confirmation = confirmation;
        world->environment().set("SB_TEST_WEBHOOK_SECRET", kSecret);
        runtime = world->make_runtime(metrics);
        ASSERT_TRUE(runtime);
        runtime->start_background_refresh();
    }

    void TearDown() override {
        if (runtime) runtime->stop();
    }

    connectors::ConnectorService& service() { return runtime->connectors(); }

    // The OAuth flow at the simulator, then the confirmation (required mode).
    std::string connect(const std::string& category, const std::string& provider) {
        auto started = service().start_authorization(alice, {category, provider, provider});
        EXPECT_TRUE(started) << started.error().message;
        if (!started) return {};
        auto outcome = service().complete_authorization(world->authorize(started->authorization_url));
        EXPECT_TRUE(outcome.success) << outcome.error_code;
        if (outcome.completion.empty()) return outcome.connector ? outcome.connector->id : "";
        auto confirmed = service().confirm_connection(alice, outcome.completion);
        EXPECT_TRUE(confirmed) << confirmed.error().message;
        return confirmed ? confirmed->id : std::string();
    }

    // Every event of the tenant, as the feed gives them.
    std::vector<json> feed() {
        std::vector<json> out;
        std::int64_t after = 0;
        while (true) {
            auto page = runtime->events()->page(alice.tenant_id, after, 2);
            EXPECT_TRUE(page) << page.error().message;
            if (!page) return out;
            for (const auto& event : page->events) out.push_back(json(event_json(event)));
            after = page->next_after;
            if (!page->has_more) return out;
        }
    }

    // Waits until the receiver took every event the feed lists (at least `at_least`).
    std::vector<json> delivered_all(std::size_t at_least) {
        std::vector<json> expected;
        const bool done = WebhookReceiver::wait_until([&] {
            expected = feed();
            if (expected.size() < at_least) return false;
            std::set<std::string> taken;
            for (const auto& event : receiver.taken_events()) taken.insert(event.at("id"));
            for (const auto& event : expected) {
                if (!taken.contains(event.at("id"))) return false;
            }
            return true;
        });
        EXPECT_TRUE(done) << "took " << receiver.taken().size() << " of " << expected.size();
        return expected;
    }

    void set_column(const std::string& assignment, const std::string& id) {
        ASSERT_TRUE(world->database()->with_session("test write", [&](soci::session& sql) -> Result<void> {
            std::string copy = id;
            sql << "UPDATE connector_accounts SET " + assignment + " WHERE id = :id",
                soci::use(copy);
            return {};
        }));
    }

    Principal alice{"acme", "alice"};
    WebhookReceiver receiver;
    std::shared_ptr<prometheus::Registry> metrics = std::make_shared<prometheus::Registry>();
    std::unique_ptr<testing::ConnectorWorld> world;
    std::unique_ptr<connectors::ConnectorRuntime> runtime;
};

TEST_F(EventsSimTest, EveryEventOfTheRealFlowReachesTheWebhookSignedAndInTheFeed) {
    start();
    // connect + confirm
    const std::string id = connect("crm", "hubspot");
    ASSERT_FALSE(id.empty());
    // refresh
    ASSERT_TRUE(service().refresh(alice, id));
    // a refresh the provider fails (its token endpoint answers 503)
    sim::FaultRule down;
    down.prefix = "/api.hubapi.com/oauth/v1/token";
    down.status = 503;
    world->sim().add_fault(down);
    auto failed = service().refresh(alice, id);
    ASSERT_FALSE(failed);
    EXPECT_EQ(failed.error().code, "provider_unavailable");
    world->sim().clear_faults();
    // a refresh refused as invalid_grant (the user revoked the grant at the provider)
    ASSERT_GT(world->sim().revoke_refresh_tokens_of("sim.user@example.com"), 0u);
    auto revoked = service().refresh(alice, id);
    ASSERT_FALSE(revoked);
    EXPECT_EQ(revoked.error().code, "connector_revoked");
    // reconnect the same account: the same connector, connected again
    EXPECT_EQ(connect("crm", "hubspot"), id);
    // the access token expires and there is no refresh token: at the next action
    set_column("refresh_token_encrypted = NULL, token_expires_at = 1000", id);
    auto expired = service().invoke(alice, id, "list_contacts", "{}");
    ASSERT_FALSE(expired);
    EXPECT_EQ(expired.error().code, "connector_expired");
    // disconnect (the expired grant cannot be revoked at the provider: force)
    ASSERT_TRUE(service().disconnect(alice, id, {true}));

    const auto expected = delivered_all(7);
    std::vector<std::string> types;
    for (const auto& event : expected) types.push_back(event.at("type"));
    EXPECT_EQ(types, (std::vector<std::string>{
                         "connector.connected", "connector.refreshed", "connector.refresh_failed",
                         "connector.revoked", "connector.connected", "connector.expired",
                         "connector.disconnected"}));
    EXPECT_EQ(expected[2].at("data").at("error_code"), "provider_unavailable");
    EXPECT_EQ(expected[2].at("data").at("status"), "active");
    EXPECT_EQ(expected[3].at("data").at("error_code"), "invalid_grant");
    EXPECT_EQ(expected[4].at("data").at("previous_status"), "revoked");
    EXPECT_EQ(expected[5].at("data").at("status"), "expired");
    EXPECT_EQ(expected[6].at("data").at("status"), "disconnected");
    for (const auto& event : expected) {
        EXPECT_EQ(event.at("data").at("connector_id"), id);
        EXPECT_EQ(event.at("data").at("provider"), "hubspot");
        EXPECT_EQ(event.at("tenant_id"), "acme");
    }

    // What the receiver got: the feed's events, in the feed's order, signed.
    const auto taken = receiver.taken();
    ASSERT_EQ(taken.size(), expected.size()) << "one delivery each when the receiver is up";
    std::vector<test::SignedRequest> signed_requests;
    for (std::size_t i = 0; i < taken.size(); ++i) {
        EXPECT_EQ(json::parse(taken[i].body), expected[i]);
        EXPECT_EQ(taken[i].method, "POST");
        EXPECT_EQ(taken[i].header("content-type").value_or(""), "application/json");
        EXPECT_EQ(taken[i].header("switchboard-event-id").value_or(""), expected[i].at("id"));
        EXPECT_EQ(taken[i].header("switchboard-event-type").value_or(""), expected[i].at("type"));
        EXPECT_EQ(taken[i].header("switchboard-delivery-attempt").value_or(""), "1");
        const std::string signature(taken[i].header("switchboard-signature").value_or(""));
        EXPECT_EQ(signature.find(kSecret), std::string::npos);
        signed_requests.push_back({kSecret, signature, taken[i].body});
        for (const std::string secret_marker : {"CKsim", "na1-", "gAAAAA", kSecret}) {
            EXPECT_EQ(taken[i].body.find(secret_marker), std::string::npos) << taken[i].body;
        }
    }
    const auto verdicts = test::python_verify(signed_requests);
    EXPECT_EQ(verdicts, std::vector<std::string>(signed_requests.size(), "ok"));
    EXPECT_EQ(metric(*metrics, "switchboard_webhook_attempts_total",
                     {{"endpoint", "product"}, {"result", "delivered"}}),
              7);
}

TEST_F(EventsSimTest, AConnectionInImmediateModeIsAnnouncedAtTheCallback) {
    start(config::ConnectConfirmation::immediate);
    const std::string id = connect("calendar", "google_calendar");
    ASSERT_FALSE(id.empty());
    const auto events = delivered_all(1);
    ASSERT_EQ(events.size(), 1u);
    EXPECT_EQ(events[0].at("type"), "connector.connected");
    EXPECT_TRUE(events[0].at("data").at("previous_status").is_null());
    EXPECT_EQ(events[0].at("data").at("connector_id"), id);
}

TEST_F(EventsSimTest, AReceiverDownThenUpGetsEveryEventEachConnectorsInOrder) {
    start();
    receiver.set_mode(WebhookReceiver::Mode::drop);
    const std::vector<std::pair<std::string, std::string>> providers = {
        {"calendar", "google_calendar"}, {"email", "gmail"}, {"crm", "hubspot"}};
    std::vector<std::string> ids;
    for (const auto& [category, provider] : providers) ids.push_back(connect(category, provider));
    for (int round = 0; round < 3; ++round) {
        for (const auto& id : ids) ASSERT_TRUE(service().refresh(alice, id));
    }
    // The receiver drops every connection, then answers 503: attempts fail and are retried.
    ASSERT_TRUE(WebhookReceiver::wait_until([&] { return receiver.attempts() >= 3; }));
    receiver.set_mode(WebhookReceiver::Mode::refuse);
    const std::size_t before = receiver.attempts();
    ASSERT_TRUE(WebhookReceiver::wait_until([&] { return receiver.attempts() >= before + 3; }));
    EXPECT_TRUE(receiver.taken().empty());
    ASSERT_TRUE(WebhookReceiver::wait_until([&] {
        return metric(*metrics, "switchboard_webhook_backlog", {{"endpoint", "product"}}) == 12;
    })) << "the backlog gauge counts the waiting deliveries";
    EXPECT_GT(metric(*metrics, "switchboard_webhook_oldest_undelivered_age_seconds",
                     {{"endpoint", "product"}}),
              0);
    EXPECT_GE(metric(*metrics, "switchboard_webhook_failures_total",
                     {{"endpoint", "product"}, {"reason", "http_503"}}),
              1);

    receiver.set_mode(WebhookReceiver::Mode::take);
    const auto expected = delivered_all(12);
    ASSERT_EQ(expected.size(), 12u);

    // Per connector, the order in which the receiver first got them is the feed's order.
    std::map<std::string, std::vector<std::int64_t>> got, wanted;
    std::set<std::string> seen;
    for (const auto& event : receiver.taken_events()) {
        if (!seen.insert(event.at("id")).second) continue; // a redelivery (at least once)
        got[event.at("data").at("connector_id")].push_back(event.at("sequence"));
    }
    for (const auto& event : expected) {
        wanted[event.at("data").at("connector_id")].push_back(event.at("sequence"));
    }
    EXPECT_EQ(got, wanted);
    EXPECT_EQ(wanted.size(), 3u);
    ASSERT_TRUE(WebhookReceiver::wait_until([&] {
        return metric(*metrics, "switchboard_webhook_backlog", {{"endpoint", "product"}}) == 0;
    }));
    EXPECT_EQ(metric(*metrics, "switchboard_webhook_oldest_undelivered_age_seconds",
                     {{"endpoint", "product"}}),
              0);
    // Later attempts say which attempt they are.
    bool retried = false;
    for (const auto& request : receiver.taken()) {
        if (request.header("switchboard-delivery-attempt").value_or("1") != "1") retried = true;
    }
    EXPECT_TRUE(retried);
}

} // namespace
} // namespace switchboard::events
