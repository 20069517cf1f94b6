// The host's process life: a start-up failure names what is wrong and never its value, and
// SIGTERM lets in-flight requests finish before the process exits 0. Each test runs a host
// of its own (a fresh database) beside the suite's simulator.
#include "tests/e2e/e2e_suite.hpp"
#include "tests/support/free_port.hpp"

#include <thread>

namespace switchboard::e2e {
namespace {

class Lifecycle : public E2E {
protected:
    std::vector<std::string> environment_with(const std::string& key_entry) {
        std::vector<std::string> env;
        for (auto& entry : host_environment()) {
            if (entry.rfind("CONNECTOR_ENCRYPTION_KEY=", 0) != 0) env.push_back(entry);
        }
        env.push_back(key_entry);
        env.push_back("API_BASE_URL=http://127.0.0.1:1");
        return env;
    }
};

TEST_F(Lifecycle, AMissingEncryptionKeyStopsStartUpNamingIt) {
    testing::TempDir dir("sb-e2e-start-");
    auto [status, log] = Host::run_to_exit(dir.path(), host_config(dir.path(), new_database_url(dir.path())),
                                           environment_with("CONNECTOR_ENCRYPTION_KEY="));
    EXPECT_TRUE(status.exited_with(1)) << status.describe() << "\n" << log;
    EXPECT_NE(log.find("CONNECTOR_ENCRYPTION_KEY"), std::string::npos) << log;
}

TEST_F(Lifecycle, AMalformedEncryptionKeyIsNamedWithoutItsValue) {
    testing::TempDir dir("sb-e2e-start-");
    const std::string bad = "not-a-fernet-key-but-a-secret-XYZ123";
    auto [status, log] = Host::run_to_exit(dir.path(), host_config(dir.path(), new_database_url(dir.path())),
                                           environment_with("CONNECTOR_ENCRYPTION_KEY=" + bad));
    EXPECT_TRUE(status.exited_with(1)) << status.describe() << "\n" << log;
    EXPECT_NE(log.find("CONNECTOR_ENCRYPTION_KEY"), std::string::npos) << log;
    EXPECT_EQ(log.find(bad), std::string::npos) << "the key's value is in the log:\n" << log;
    EXPECT_EQ(log.find("XYZ123"), std::string::npos) << log;

    // A key of the right shape but the wrong length (a truncated copy) fails the same way.
    const std::string truncated = encryption_key_.substr(0, 20);
    auto [status2, log2] = Host::run_to_exit(dir.path(), host_config(dir.path(), new_database_url(dir.path())),
                                             environment_with("CONNECTOR_ENCRYPTION_KEY=" + truncated));
    EXPECT_TRUE(status2.exited_with(1)) << status2.describe() << "\n" << log2;
    EXPECT_EQ(log2.find(truncated), std::string::npos) << log2;
}

// Issue 10, point 4: a host started with a valid key that is not the database's must not
// serve (it would fail to read every connector and write new ones under the wrong key).
TEST_F(Lifecycle, AValidButWrongEncryptionKeyStopsStartUpWithoutNamingAKey) {
    testing::TempDir dir("sb-e2e-key-");
    const std::string url = new_database_url(dir.path());
    const json config = host_config(dir.path(), url);
    const std::uint16_t port = testing::free_loopback_port();
    const std::string base = "http://127.0.0.1:" + std::to_string(port);
    auto env_with = [&](const std::string& primary, const std::string& old) {
        std::vector<std::string> env;
        for (auto& entry : host_environment()) {
            if (entry.rfind("CONNECTOR_ENCRYPTION_KEY", 0) != 0) env.push_back(entry);
        }
        env.push_back("CONNECTOR_ENCRYPTION_KEY=" + primary);
        env.push_back("CONNECTOR_ENCRYPTION_KEYS_OLD=" + old);
        env.push_back("API_BASE_URL=" + base);
        return env;
    };
    const std::string first_key = new_encryption_key();
    const std::string other_key = new_encryption_key();
    {
        // A brand-new database, and an account connected under the first key.
        Host host(dir.path(), config, env_with(first_key, ""), port);
        Client client;
        const Connection connected =
            connect_on(client, base, token_for("wrong-key"), "calendar", "google_calendar", "Cal");
        ASSERT_TRUE(connected.ok()) << connected.landing << " " << connected.confirmed.body;
        ASSERT_TRUE(host.stop().exited_with(0));
    }

    auto [status, log] = Host::run_to_exit(dir.path(), config, env_with(other_key, ""));
    EXPECT_TRUE(status.exited_with(1)) << status.describe() << "\n" << log;
    EXPECT_NE(log.find("CONNECTOR_ENCRYPTION_KEY"), std::string::npos) << log;
    EXPECT_NE(log.find("is not the key this database is encrypted with"), std::string::npos) << log;
    for (const auto& key : {first_key, other_key}) {
        EXPECT_EQ(log.find(key), std::string::npos) << "a key is in the log:\n" << log;
        EXPECT_EQ(log.find(key.substr(0, 12)), std::string::npos) << log;
    }

    // The first key as an old one opens the database: the host starts (rotation under way).
    Host rotating(dir.path(), config, env_with(other_key, first_key), port);
    EXPECT_EQ(Client().get(base + "/readyz").status, 200);
}

TEST_F(Lifecycle, SigtermFinishesInFlightRequestsAndExitsZero) {
    testing::TempDir dir("sb-e2e-term-");
    auto env = host_environment();
    const std::uint16_t port = testing::free_loopback_port();
    const std::string base = "http://127.0.0.1:" + std::to_string(port);
    env.push_back("API_BASE_URL=" + base);
    Host host(dir.path(), host_config(dir.path(), new_database_url(dir.path())), env, port);
    const std::string token = token_for("sigterm");
    Client client;
    const Connection connected = connect_on(client, base, token, "calendar", "google_calendar", "Cal");
    ASSERT_TRUE(connected.ok()) << connected.landing << " " << connected.confirmed.body;

    // The provider takes a second and a half to answer: the call is in flight at SIGTERM.
    sim_->admin("POST", "/_admin/faults",
                {{"kind", "latency"}, {"prefix", "/www.googleapis.com/calendar"}, {"latency_ms", 1500}});
    std::optional<HttpResult> answer;
    std::string failure;
    std::thread caller([&] {
        try {
            Client own;
            answer = own.request("POST", base + "/api/v1/actions/calendar.create_event",
                                 {{"Authorization", "Bearer " + token},
                                  {"Content-Type", "application/json"}},
                                 json{{"params",
                                       {{"summary", "In flight"},
                                        {"start", {{"date_time", "2030-06-01T10:00:00Z"}}},
                                        {"end", {{"date_time", "2030-06-01T11:00:00Z"}}}}}}
                                     .dump());
        } catch (const std::exception& e) {
            failure = e.what();
        }
    });
    // Wait until the host counts the request in flight (its own gauge), not for a time.
    bool in_flight = false;
    for (int i = 0; i < 400 && !in_flight; ++i) {
        auto metrics = client.get(base + "/metrics");
        // The /metrics request itself is in flight while it is answered.
        in_flight = metric_value(metrics.body, "switchboard_http_requests_in_flight") >= 2;
        if (!in_flight) std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    EXPECT_TRUE(in_flight) << "the action never showed as in flight";
    const auto status = host.stop(SIGTERM);
    caller.join();
    EXPECT_TRUE(status.exited_with(0)) << status.describe() << "\n" << host.log();
    ASSERT_TRUE(answer.has_value()) << failure;
    EXPECT_EQ(answer->status, 200) << answer->body;
    EXPECT_EQ(answer->json_body().at("result").value("summary", ""), "In flight");
    // And the host no longer listens.
    EXPECT_THROW(client.get(base + "/healthz"), std::runtime_error);
}

} // namespace
} // namespace switchboard::e2e
