// The outbound rate limits through the built `switchboard serve`: an action over the tenant's
// budget at a provider is answered 429 rate_limited with a Retry-After header, and counted in
// /metrics. Two instances: with the PostgreSQL program the buckets live in the suite's Redis,
// so the second instance finds the budget spent as well; with the SQLite program each
// instance keeps its own (the in-process buckets).
#include "tests/e2e/e2e_suite.hpp"
#include "tests/support/free_port.hpp"

namespace switchboard::e2e {
namespace {

class RateLimitE2E : public E2E {
protected:
    json limited_config(const std::filesystem::path& dir, const std::string& database_url) {
        json config = host_config(dir, database_url);
        config["rate_limits"] = {
            {"max_wait_ms", 0},
            {"providers",
             {{"hubspot", {{"tenant", {{"capacity", 2}, {"refill_per_second", 0.01}}}}}}}};
        if (use_postgres()) {
            config["rate_limits"]["backend"] = "redis";
            config["rate_limits"]["redis_url"] =
                "redis://127.0.0.1:" + std::to_string(redis_->port()) + "/0";
        }
        return config;
    }

    std::unique_ptr<Host> start(const std::string& name, const std::string& database_url,
                                std::uint16_t port) {
        const auto host_dir = dir_.path() / name;
        std::filesystem::create_directories(host_dir);
        auto env = host_environment();
        env.push_back("API_BASE_URL=http://127.0.0.1:" + std::to_string(port));
        return std::make_unique<Host>(host_dir, limited_config(dir_.path(), database_url), env,
                                      port);
    }

    HttpResult list_contacts(const std::string& base, const std::string& token) {
        return client_.request("POST", base + "/api/v1/actions/crm.list_contacts",
                               {{"Authorization", "Bearer " + token},
                                {"Content-Type", "application/json"}},
                               R"({"params":{}})");
    }

    testing::TempDir dir_{"sb-e2e-ratelimit-"};
};

TEST_F(RateLimitE2E, AnActionOverTheLimitIsAnswered429WithRetryAfter) {
    const std::string database_url = new_database_url(dir_.path());
    const std::uint16_t first_port = testing::free_loopback_port();
    const std::uint16_t second_port = testing::free_loopback_port();
    auto first = start("first", database_url, first_port);
    auto second = start("second", database_url, second_port);
    const std::string a = "http://127.0.0.1:" + std::to_string(first_port);
    const std::string b = "http://127.0.0.1:" + std::to_string(second_port);
    const std::string token = token_for("limited-tenant");
    const Connection connected = connect_on(client_, a, token, "crm", "hubspot", "CRM");
    ASSERT_TRUE(connected.ok()) << connected.confirmed.body;

    EXPECT_EQ(list_contacts(a, token).status, 200);
    EXPECT_EQ(list_contacts(a, token).status, 200);
    const HttpResult refused = list_contacts(a, token);
    ASSERT_EQ(refused.status, 429) << refused.body;
    EXPECT_EQ(refused.error_code(), "rate_limited");
    const std::string retry_after = refused.header("Retry-After");
    ASSERT_FALSE(retry_after.empty());
    EXPECT_GE(std::stoi(retry_after), 90) << "a token is 100 s away at 0.01 per second";
    EXPECT_LE(std::stoi(retry_after), 100);

    // Another tenant has a budget of its own.
    const std::string other = token_for("unlimited-tenant");
    ASSERT_TRUE(connect_on(client_, a, other, "crm", "hubspot", "CRM").ok());
    EXPECT_EQ(list_contacts(a, other).status, 200);

    // The second instance: one shared budget through Redis, or its own in memory.
    const HttpResult elsewhere = list_contacts(b, token);
    if (use_postgres()) {
        EXPECT_EQ(elsewhere.status, 429) << "the budget is shared through Redis";
    } else {
        EXPECT_EQ(elsewhere.status, 200) << "in-process buckets: each instance its own";
    }

    const auto metrics = client_.get(a + "/metrics");
    EXPECT_GE(metric_value(metrics.body, "switchboard_rate_limit_decisions_total",
                           {"provider=\"hubspot\"", "decision=\"refused\""}),
              1);
}

} // namespace
} // namespace switchboard::e2e
