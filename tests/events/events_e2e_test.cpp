// Connector events through the built `switchboard serve`: an event committed while the
// receiver is down survives a SIGKILL of the host and is delivered after the restart; so is
// one whose delivery was in flight when the host died (again, at least once); two instances
// on one database deliver each event once; GET /api/v1/events pages a tenant's events and no
// other's; a webhook without its secret stops the start naming the variable. The receiver and
// Python's hmac stand for the product.
#include "tests/e2e/e2e_suite.hpp"
#include "tests/events/python_verifier.hpp"
#include "tests/events/webhook_receiver.hpp"
#include "tests/support/free_port.hpp"

#include <set>

namespace switchboard::e2e {
namespace {

using events::test::WebhookReceiver;

constexpr const char* kSecret = "whsec-e2e-0123456789abcdef0123";

class EventsE2E : public E2E {
protected:
    // The suite's host config with a webhook to the receiver; short retries and leases, so a
    // test sees them play out.
    json events_config(const std::filesystem::path& dir, const std::string& database_url) {
        json config = host_config(dir, database_url);
        config["events"] = {{"webhooks",
                             {{{"name", "product"},
                               {"url", receiver_.url()},
                               {"secret_env", "SB_E2E_WEBHOOK_SECRET"}}}},
                            {"poll_interval_ms", 100},
                            {"retry_base_seconds", 1},
                            {"retry_max_seconds", 1},
                            {"timeout_ms", 1000},
                            {"lease_seconds", 3}};
        return config;
    }

    std::vector<std::string> environment(std::uint16_t port) {
        auto env = host_environment();
        env.push_back("API_BASE_URL=http://127.0.0.1:" + std::to_string(port));
        env.push_back(std::string("SB_E2E_WEBHOOK_SECRET=") + kSecret);
        return env;
    }

    // A host in <dir>/<name> (its own log) on `database_url`, on `port`.
    std::unique_ptr<Host> start(const std::string& name, const std::string& database_url,
                                std::uint16_t port) {
        const auto host_dir = dir_.path() / name;
        std::filesystem::create_directories(host_dir);
        return std::make_unique<Host>(host_dir, events_config(dir_.path(), database_url),
                                      environment(port), port);
    }

    // Python's verdict on every request the receiver took.
    std::vector<std::string> verdicts() {
        std::vector<events::test::SignedRequest> requests;
        for (const auto& r : receiver_.taken()) {
            requests.push_back(
                {kSecret, std::string(r.header("switchboard-signature").value_or("")), r.body});
        }
        return events::test::python_verify(requests);
    }

    testing::TempDir dir_{"sb-e2e-events-"};
    WebhookReceiver receiver_;
};

TEST_F(EventsE2E, AnEventCommittedBeforeTheHostIsKilledIsDeliveredAfterTheRestart) {
    const std::string database_url = new_database_url(dir_.path());
    const std::uint16_t port = testing::free_loopback_port();
    const std::string base = "http://127.0.0.1:" + std::to_string(port);
    receiver_.set_mode(WebhookReceiver::Mode::refuse);
    auto host = start("first", database_url, port);
    Client client;
    const std::string token = token_for("crash-tenant");
    const Connection connected = connect_on(client, base, token, "crm", "hubspot", "CRM");
    ASSERT_TRUE(connected.ok()) << connected.landing << " " << connected.confirmed.body;
    // Committed, and refused by the receiver at least once: then the host dies.
    ASSERT_TRUE(WebhookReceiver::wait_until([&] { return receiver_.attempts() >= 1; }));
    EXPECT_TRUE(host->stop(SIGKILL).killed_by(SIGKILL));
    EXPECT_TRUE(receiver_.taken().empty());

    receiver_.set_mode(WebhookReceiver::Mode::take);
    auto restarted = start("second", database_url, port);
    ASSERT_TRUE(WebhookReceiver::wait_until([&] { return !receiver_.taken().empty(); }))
        << restarted->log();
    const auto events = receiver_.taken_events();
    EXPECT_EQ(events.at(0).at("type"), "connector.connected");
    EXPECT_EQ(events.at(0).at("data").at("connector_id"), connected.id());
    EXPECT_EQ(events.at(0).at("tenant_id"), "crash-tenant");
    EXPECT_EQ(verdicts(), std::vector<std::string>(receiver_.taken().size(), "ok"));
}

TEST_F(EventsE2E, ADeliveryInFlightWhenTheHostIsKilledIsMadeAgainAfterTheRestart) {
    const std::string database_url = new_database_url(dir_.path());
    const std::uint16_t port = testing::free_loopback_port();
    const std::string base = "http://127.0.0.1:" + std::to_string(port);
    receiver_.set_mode(WebhookReceiver::Mode::hang);
    auto host = start("first", database_url, port);
    Client client;
    const Connection connected =
        connect_on(client, base, token_for("inflight-tenant"), "calendar", "google_calendar", "Cal");
    ASSERT_TRUE(connected.ok()) << connected.landing << " " << connected.confirmed.body;
    // The POST has reached the receiver, which holds it: the host dies waiting.
    ASSERT_TRUE(WebhookReceiver::wait_until([&] { return receiver_.attempts() >= 1; }));
    EXPECT_TRUE(host->stop(SIGKILL).killed_by(SIGKILL));

    receiver_.set_mode(WebhookReceiver::Mode::take);
    auto restarted = start("second", database_url, port);
    // The dead instance's lease (3 s) lapses; the restarted one delivers it.
    ASSERT_TRUE(WebhookReceiver::wait_until([&] { return !receiver_.taken().empty(); }))
        << restarted->log();
    const auto events = receiver_.taken_events();
    EXPECT_EQ(events.at(0).at("type"), "connector.connected");
    EXPECT_EQ(events.at(0).at("data").at("connector_id"), connected.id());
    EXPECT_EQ(receiver_.taken().at(0).header("switchboard-delivery-attempt").value_or(""), "2");
    EXPECT_EQ(verdicts(), std::vector<std::string>(receiver_.taken().size(), "ok"));
}

TEST_F(EventsE2E, TwoInstancesOnOneDatabaseDeliverEachEventOnce) {
    const std::string database_url = new_database_url(dir_.path());
    const std::uint16_t first_port = testing::free_loopback_port();
    const std::uint16_t second_port = testing::free_loopback_port();
    auto first = start("first", database_url, first_port);
    auto second = start("second", database_url, second_port);
    Client client;
    const std::string token = token_for("pair-tenant");
    const std::string base = "http://127.0.0.1:" + std::to_string(first_port);
    std::vector<std::string> ids;
    for (const auto& [type, provider] : std::vector<std::pair<std::string, std::string>>{
             {"calendar", "google_calendar"}, {"email", "gmail"}, {"crm", "hubspot"}}) {
        const Connection c = connect_on(client, base, token, type, provider, provider);
        ASSERT_TRUE(c.ok()) << c.confirmed.body;
        ids.push_back(c.id());
    }
    for (int round = 0; round < 3; ++round) {
        for (const auto& id : ids) {
            const auto& target = round % 2 == 0 ? base : "http://127.0.0.1:" + std::to_string(second_port);
            auto refreshed = client.request("POST", target + "/api/v1/connectors/" + id + "/refresh",
                                            bearer(token));
            ASSERT_EQ(refreshed.status, 200) << refreshed.body;
        }
    }
    ASSERT_TRUE(WebhookReceiver::wait_until([&] { return receiver_.taken().size() >= 12; }));
    // Both instances poll every 100 ms: give a duplicate time to show.
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    std::multiset<std::string> ids_taken;
    for (const auto& event : receiver_.taken_events()) ids_taken.insert(event.at("id"));
    EXPECT_EQ(ids_taken.size(), 12u);
    for (const auto& id : ids_taken) EXPECT_EQ(ids_taken.count(id), 1u) << "delivered twice: " << id;
}

TEST_F(EventsE2E, TheFeedPagesATenantsEventsAndNoOthers) {
    // The suite's host (no webhooks) keeps events for the feed just the same.
    const std::string ours = token_for("feed-tenant"), theirs = token_for("feed-other");
    const std::string id = connect_id(ours, "crm", "hubspot", "CRM");
    ASSERT_EQ(post("/api/v1/connectors/" + id + "/refresh", ours, nullptr).status, 200);
    ASSERT_EQ(post("/api/v1/connectors/" + id + "/refresh", ours, nullptr).status, 200);

    auto first = get("/api/v1/events?limit=2", ours);
    ASSERT_EQ(first.status, 200) << first.body;
    const json page = first.json_body();
    ASSERT_EQ(page.at("events").size(), 2u);
    EXPECT_EQ(page.at("events")[0].at("type"), "connector.connected");
    EXPECT_EQ(page.at("events")[1].at("type"), "connector.refreshed");
    EXPECT_TRUE(page.at("has_more").get<bool>());
    auto second = get("/api/v1/events?after=" + page.at("next_cursor").get<std::string>(), ours);
    ASSERT_EQ(second.status, 200);
    ASSERT_EQ(second.json_body().at("events").size(), 1u);
    EXPECT_EQ(second.json_body().at("events")[0].at("sequence"), 3);
    EXPECT_FALSE(second.json_body().at("has_more").get<bool>());
    EXPECT_EQ(find_secret(first.body + second.body), "");

    auto other = get("/api/v1/events", theirs);
    ASSERT_EQ(other.status, 200);
    EXPECT_TRUE(other.json_body().at("events").empty()) << other.body;

    EXPECT_EQ(get("/api/v1/events?after=-1", ours).error_code(), "invalid_cursor");
    EXPECT_EQ(get("/api/v1/events?after=abc", ours).status, 400);
    EXPECT_EQ(get("/api/v1/events?limit=0", ours).error_code(), "invalid_limit");
    EXPECT_EQ(get("/api/v1/events?limit=501", ours).error_code(), "invalid_limit");
    EXPECT_EQ(client_.get(api("/api/v1/events")).status, 401);
}

TEST_F(EventsE2E, AWebhookWithoutItsSecretStopsTheStartNamingTheVariable) {
    testing::TempDir dir("sb-e2e-events-start-");
    json config = events_config(dir.path(), new_database_url(dir.path()));
    auto env = host_environment();
    env.push_back("API_BASE_URL=http://127.0.0.1:1");
    auto [status, log] = Host::run_to_exit(dir.path(), config, env);
    EXPECT_TRUE(status.exited_with(1)) << status.describe() << "\n" << log;
    EXPECT_NE(log.find("SB_E2E_WEBHOOK_SECRET"), std::string::npos) << log;

    env.push_back("SB_E2E_WEBHOOK_SECRET=short-secret");
    auto [short_status, short_log] = Host::run_to_exit(dir.path(), config, env);
    EXPECT_TRUE(short_status.exited_with(1)) << short_log;
    EXPECT_NE(short_log.find("fewer than 16"), std::string::npos) << short_log;
    EXPECT_EQ(short_log.find("short-secret"), std::string::npos) << "the secret is in the log";
}

} // namespace
} // namespace switchboard::e2e
