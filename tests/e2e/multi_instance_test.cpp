// Two `switchboard serve` instances on one database (PostgreSQL + Redis, or one SQLite file
// with the SQL state store) and a provider that rotates refresh tokens: a refresh token is
// single-use, so two instances that both spend it lose the account unless they coordinate.
// Each test runs its own pair of hosts on a fresh database beside the suite's simulator.
#include "tests/e2e/e2e_suite.hpp"
#include "tests/support/free_port.hpp"

#include <latch>
#include <soci/soci.h>
#include <thread>

namespace switchboard::e2e {
namespace {

class MultiInstance : public E2E {
protected:
    void SetUp() override {
        sim_->admin("PUT", "/_admin/settings", {{"rotate_refresh_tokens", true}});
    }
    void TearDown() override {
        sim_->admin("PUT", "/_admin/settings", {{"rotate_refresh_tokens", false}});
        E2E::TearDown();
    }

    // A host on `database_url` whose files live in <dir>/<name>. Its public URL is its own,
    // or `public_url` (what a load balancer in front of the instances would be).
    static std::unique_ptr<Host> start_host(const testing::TempDir& dir, const std::string& name,
                                            const std::string& database_url,
                                            const std::string& public_url = "") {
        const auto host_dir = dir.path() / name;
        std::filesystem::create_directories(host_dir);
        const std::uint16_t port = testing::free_loopback_port();
        auto env = host_environment();
        env.push_back("API_BASE_URL=" + (public_url.empty()
                                             ? "http://127.0.0.1:" + std::to_string(port)
                                             : public_url));
        return std::make_unique<Host>(host_dir, host_config(host_dir, database_url), env, port);
    }

    // The refresh-grant requests the simulator answered since its log was last cleared: how
    // many succeeded and how many were refused (a refused one spent a retired token).
    std::pair<int, int> refresh_grants() {
        int succeeded = 0, refused = 0;
        const json log = sim_->admin("GET", "/_admin/requests"); // outlives the loop
        for (const auto& r : log.at("requests")) {
            if (r.value("path", "") != "/oauth2.googleapis.com/token") continue;
            if (r.value("body", "").find("grant_type=refresh_token") == std::string::npos) continue;
            (r.value("status", 0) == 200 ? succeeded : refused) += 1;
        }
        return {succeeded, refused};
    }
};

struct StoredConnector {
    std::string status;
    long long credential_version = 0;
};

StoredConnector read_connector(const std::string& database_url, const std::string& id) {
    store::DatabaseOptions options;
    options.pool_size = 1;
    options.migrate = false;
    auto database = store::Database::open(database_url, options);
    if (!database)
        throw std::runtime_error("cannot open the database: " + database.error().message);
    StoredConnector out;
    auto read = (*database)->with_session("test read", [&](soci::session& sql) -> Result<void> {
        std::string copy = id;
        sql << "SELECT status, credential_version FROM connector_accounts WHERE id = :id",
            soci::into(out.status), soci::into(out.credential_version), soci::use(copy);
        return {};
    });
    if (!read) throw std::runtime_error("cannot read the connector: " + read.error().message);
    return out;
}

// Issue 10, point 5: ten concurrent POST /{id}/refresh, five to each instance, once answered
// 6 x 200 and 4 x 409 and left a healthy connector `revoked`.
TEST_F(MultiInstance, TenConcurrentRefreshesOnTwoInstancesAllSucceedAndSpendEachTokenOnce) {
    testing::TempDir dir("sb-e2e-multi-");
    const std::string database_url = new_database_url(dir.path());
    auto first = start_host(dir, "first", database_url);
    auto second = start_host(dir, "second", database_url);
    const std::string token = token_for("multi-refresh");
    Client client;
    const Connection connected =
        connect_on(client, first->url(""), token, "calendar", "google_calendar", "Cal");
    ASSERT_TRUE(connected.ok()) << connected.landing << " " << connected.confirmed.body;
    auto listed = client.get(second->url("/api/v1/connectors"), bearer(token));
    ASSERT_EQ(listed.status, 200) << listed.body;
    const std::string id = listed.json_body().at("connectors").at(0).at("id");
    const long long version_before = read_connector(database_url, id).credential_version;

    // The provider answers token requests after 300 ms, so the refreshes overlap.
    sim_->admin("DELETE", "/_admin/requests");
    sim_->admin(
        "POST", "/_admin/faults",
        {{"kind", "latency"}, {"prefix", "/oauth2.googleapis.com/token"}, {"latency_ms", 300}});

    constexpr int callers = 10;
    std::vector<int> statuses(callers, 0);
    std::vector<std::string> bodies(callers);
    std::latch go(callers);
    std::vector<std::thread> threads;
    for (int i = 0; i < callers; ++i) {
        threads.emplace_back([&, i] {
            const Host& host = i % 2 == 0 ? *first : *second;
            Client own;
            go.arrive_and_wait();
            try {
                auto r = own.request("POST", host.url("/api/v1/connectors/" + id + "/refresh"),
                                     bearer(token));
                statuses[static_cast<std::size_t>(i)] = r.status;
                bodies[static_cast<std::size_t>(i)] = r.body;
            } catch (const std::exception& e) {
                bodies[static_cast<std::size_t>(i)] = e.what();
            }
        });
    }
    for (auto& thread : threads) thread.join();

    int ok = 0;
    for (int i = 0; i < callers; ++i) {
        if (statuses[static_cast<std::size_t>(i)] == 200) {
            ++ok;
        } else {
            ADD_FAILURE() << "caller " << i << " (instance " << (i % 2 == 0 ? "first" : "second")
                          << ") got " << statuses[static_cast<std::size_t>(i)] << ": "
                          << bodies[static_cast<std::size_t>(i)];
        }
    }
    const auto stored = read_connector(database_url, id);
    const auto [succeeded, refused] = refresh_grants();
    std::cout << "10 concurrent refreshes on two instances: " << ok << " x 200, " << callers - ok
              << " other; connector " << stored.status << ", "
              << stored.credential_version - version_before << " refresh(es) stored; simulator: "
              << succeeded << " refresh grant(s) answered 200, " << refused << " refused"
              << std::endl;
    EXPECT_EQ(ok, callers);
    EXPECT_EQ(stored.status, "active");
    EXPECT_EQ(refused, 0) << "a refresh token was spent twice";
    EXPECT_GE(succeeded, 1);
    // Each refresh the provider granted is the one stored: none was lost or spent twice.
    EXPECT_EQ(stored.credential_version - version_before, succeeded);

    // The account still works on both instances.
    for (const Host* host : {first.get(), second.get()}) {
        auto events = client.request(
            "POST", host->url("/api/v1/actions/calendar.list_events"),
            {{"Authorization", "Bearer " + token}, {"Content-Type", "application/json"}},
            json{{"params",
                  {{"time_min", "2030-01-01T00:00:00Z"}, {"time_max", "2030-01-02T00:00:00Z"}}}}
                .dump());
        EXPECT_EQ(events.status, 200) << events.body;
    }
    if (HasFailure()) {
        std::cerr << "---- first host ----\n" << first->log().substr(0, 20000) << "\n";
        std::cerr << "---- second host ----\n" << second->log().substr(0, 20000) << "\n";
    }
}

// Issue 14, point 4: behind a load balancer, the browser's callback may reach another
// instance than the one that started the flow, and the confirmation a third request: the
// OAuth state and the completion code live in the shared stores, not in one process.
TEST_F(MultiInstance, AFlowAuthorizedOnOneInstanceCompletesOnTheOther) {
    testing::TempDir dir("sb-e2e-multi-flow-");
    const std::string database_url = new_database_url(dir.path());
    auto second = start_host(dir, "second", database_url);
    // The first instance's redirect URI names the second: its callback lands there.
    auto first = start_host(dir, "first", database_url, second->url(""));
    const std::string token = token_for("multi-flow");
    Client client;

    auto start = client.request(
        "POST", first->url("/api/v1/connectors/authorize"),
        {{"Authorization", "Bearer " + token}, {"Content-Type", "application/json"}},
        json{{"type", "crm"}, {"provider", "hubspot"}, {"name", "Across"}}.dump());
    ASSERT_EQ(start.status, 200) << start.body;
    auto at_provider = client.get(start.json_body().at("authorization_url").get<std::string>());
    ASSERT_EQ(at_provider.status, 302) << at_provider.body;
    const std::string callback = at_provider.header("Location");
    ASSERT_EQ(callback.rfind(second->url("/api/v1/connectors/callback"), 0), 0u) << callback;
    auto landed = client.get(callback);
    ASSERT_EQ(landed.status, 302) << landed.body;
    const std::string landing = landed.header("Location");
    ASSERT_TRUE(query_param(landing, "completion")) << landing;

    // Confirmed on the first instance, which never saw the callback.
    auto confirmed = confirm_on(client, first->url(""), token, landing);
    ASSERT_EQ(confirmed.status, 201) << confirmed.body;
    const std::string id = confirmed.json_body().at("id");
    for (const Host* host : {first.get(), second.get()}) {
        auto listed = client.get(host->url("/api/v1/connectors"), bearer(token));
        ASSERT_EQ(listed.status, 200) << listed.body;
        ASSERT_EQ(listed.json_body().at("connectors").size(), 1u) << listed.body;
        EXPECT_EQ(listed.json_body().at("connectors").at(0).at("id"), id);
        EXPECT_EQ(listed.json_body().at("connectors").at(0).at("status"), "active");
    }
    // The state was single-use across instances: the same callback again, on either, fails.
    for (const Host* host : {first.get(), second.get()}) {
        const std::string replay =
            host->url("/api/v1/connectors/callback") + callback.substr(callback.find('?'));
        auto again = client.get(replay);
        ASSERT_EQ(again.status, 302) << again.body;
        EXPECT_TRUE(query_param(again.header("Location"), "error")) << again.header("Location");
    }
    if (HasFailure()) {
        std::cerr << "---- first host ----\n" << first->log().substr(0, 20000) << "\n";
        std::cerr << "---- second host ----\n" << second->log().substr(0, 20000) << "\n";
    }
}

} // namespace
} // namespace switchboard::e2e
