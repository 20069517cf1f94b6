// run_http_server in-process with a fake ConnectorRuntime (GoogleMock services): the
// server is built from the config, serves the API with the config's authenticator, exposes
// the metrics the runtime registers, runs background refresh while serving and stops it
// after; start-up failures come back as errors naming what is wrong.
#include "host/app/http_server_entry.hpp"
#include "host/server/server.hpp"
#include "tests/api/api_client.hpp"
#include "tests/api/mock_services.hpp"
#include "tests/host/demo_api_key.hpp"
#include "tests/support/free_port.hpp"
#include "tests/support/temp_dir.hpp"

#include <boost/asio/ip/tcp.hpp>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <prometheus/counter.h>
#include <prometheus/registry.h>

#include <atomic>
#include <future>

namespace switchboard {
namespace {

using ::testing::Return;
using api::testing::send;
namespace http = boost::beast::http;

using host_testing::kDemoDigest;
using host_testing::kDemoKey;

struct RuntimeProbe {
    ::testing::StrictMock<api::testing::MockConnectorService> connectors;
    ::testing::StrictMock<api::testing::MockActionService> actions;
    std::atomic<int> refresh_started{0};
    std::atomic<int> stopped{0};
    std::atomic<int> created{0};
};

class FakeRuntime final : public connectors::ConnectorRuntime {
public:
    explicit FakeRuntime(RuntimeProbe& probe) : probe_(probe) {}
    connectors::ConnectorService& connectors() override { return probe_.connectors; }
    connectors::ActionService& actions() override { return probe_.actions; }
    Result<void> check_ready() override { return {}; }
    void start_background_refresh() override { ++probe_.refresh_started; }
    void stop() override { ++probe_.stopped; }

private:
    RuntimeProbe& probe_;
};

class HttpServerEntryTest : public ::testing::Test {
protected:
    void SetUp() override {
        config_.server.port = 0;
        config_.server.worker_threads = 2;
        config_.server.shutdown_grace_ms = 2000;
        config_.public_urls.api_base_url = "https://connect.example.com";
        config_.public_urls.frontend_url = "https://app.example.com";
        config_.auth.api_keys.push_back({kDemoDigest, "demo-tenant", "demo-user"});
    }

    std::unique_ptr<app::Application> make_app() {
        app::ApplicationOptions options;
        options.config = config_;
        options.plugins_directory = plugins_.path();
        auto app = app::Application::create(std::move(options));
        EXPECT_TRUE(app) << app.error().message;
        return std::move(*app);
    }

    app::HttpServerHooks hooks() {
        app::HttpServerHooks h;
        h.environment = &env_;
        h.handle_signals = false;
        h.runtime_factory = [this](const config::Config& config, const config::Environment&,
                                   std::shared_ptr<const plugin::ProviderRegistry> registry,
                                   std::shared_ptr<const plugin::ConnectorFactory> factory,
                                   std::shared_ptr<prometheus::Registry> metrics)
            -> Result<std::unique_ptr<connectors::ConnectorRuntime>> {
            EXPECT_EQ(config.public_urls.api_base_url, "https://connect.example.com");
            EXPECT_TRUE(registry && factory && metrics);
            // The services register their metrics in the registry /metrics serves.
            prometheus::BuildCounter()
                .Name("switchboard_test_runtime_metric_total")
                .Help("registered by the runtime")
                .Register(*metrics)
                .Add({})
                .Increment(3);
            ++probe_.created;
            return std::unique_ptr<connectors::ConnectorRuntime>(new FakeRuntime(probe_));
        };
        return h;
    }

    config::Config config_;
    testing::TempDir plugins_{"sb-plugins-"};
    config::MapEnvironment env_;
    RuntimeProbe probe_;
};

TEST_F(HttpServerEntryTest, ServesTheApiUntilStoppedThenStopsTheRuntime) {
    auto app = make_app();
    std::promise<server::Server*> listening;
    auto h = hooks();
    h.on_listening = [&](server::Server& s) {
        EXPECT_EQ(probe_.refresh_started.load(), 1) << "refresh starts before serving";
        listening.set_value(&s);
    };
    auto served = std::async(std::launch::async, [&] { return app::run_http_server(*app, h); });
    auto waiting = listening.get_future();
    ASSERT_EQ(waiting.wait_for(std::chrono::seconds(10)), std::future_status::ready);
    server::Server* s = waiting.get();
    const auto port = s->port();
    ASSERT_NE(port, 0);

    EXPECT_CALL(probe_.connectors, list(auth::Principal{"demo-tenant", "demo-user"}))
        .WillOnce(Return(std::vector<store::ConnectorSummary>{}));
    auto list = send(port, http::verb::get, "/api/v1/connectors",
                     {{"Authorization", "Bearer " + kDemoKey}});
    EXPECT_EQ(list.status, 200u) << list.body;
    EXPECT_EQ(list.json(), nlohmann::json::parse(R"({"connectors":[]})"));
    EXPECT_EQ(send(port, http::verb::get, "/api/v1/connectors").status, 401u);

    auto openapi = send(port, http::verb::get, "/api/v1/openapi.json");
    ASSERT_EQ(openapi.status, 200u);
    EXPECT_EQ(openapi.json().at("servers").at(0).at("url"), "https://connect.example.com");
    EXPECT_EQ(openapi.json().at("info").at("version"), "0.1.0");

    auto ready = send(port, http::verb::get, "/readyz");
    EXPECT_EQ(ready.status, 200u);
    auto metrics = send(port, http::verb::get, "/metrics");
    EXPECT_NE(metrics.body.find("switchboard_test_runtime_metric_total 3"), std::string::npos)
        << metrics.body;
    EXPECT_NE(metrics.body.find("switchboard_http_requests_total"), std::string::npos);

    // The callback redirects only under FRONTEND_URL.
    connectors::CallbackOutcome outcome;
    outcome.redirect_url = "https://app.example.com/settings/integrations?success=false&error=invalid_state";
    EXPECT_CALL(probe_.connectors, complete_authorization(::testing::_)).WillOnce(Return(outcome));
    auto callback = send(port, http::verb::get, "/api/v1/connectors/callback?state=x&code=y");
    EXPECT_EQ(callback.status, 302u);
    EXPECT_EQ(callback.header("Location"), outcome.redirect_url);

    EXPECT_EQ(probe_.stopped.load(), 0);
    s->stop();
    ASSERT_EQ(served.wait_for(std::chrono::seconds(10)), std::future_status::ready);
    auto result = served.get();
    EXPECT_TRUE(result) << result.error().message;
    EXPECT_EQ(probe_.stopped.load(), 1);
}

TEST_F(HttpServerEntryTest, RefusesToStartWithoutAuthenticationBeforeBuildingTheRuntime) {
    config_.auth = config::AuthConfig{};
    auto app = make_app();
    auto result = app::run_http_server(*app, hooks());
    ASSERT_FALSE(result);
    EXPECT_EQ(result.error().code, "auth_not_configured");
    EXPECT_EQ(probe_.created.load(), 0);
}

TEST_F(HttpServerEntryTest, ReturnsTheRuntimesStartUpError) {
    auto app = make_app();
    auto h = hooks();
    h.runtime_factory = [](auto&&...) -> Result<std::unique_ptr<connectors::ConnectorRuntime>> {
        return Error(ErrorKind::invalid_input, "encryption_key_missing",
                     "CONNECTOR_ENCRYPTION_KEY is not set", "CONNECTOR_ENCRYPTION_KEY");
    };
    auto result = app::run_http_server(*app, h);
    ASSERT_FALSE(result);
    EXPECT_EQ(result.error().code, "encryption_key_missing");
}

TEST_F(HttpServerEntryTest, APortInUseIsAnErrorAndTheRuntimeIsStopped) {
    boost::asio::io_context io;
    boost::asio::ip::tcp::acceptor taken(io, {boost::asio::ip::make_address("127.0.0.1"), 0});
    config_.server.port = taken.local_endpoint().port();
    auto app = make_app();
    auto result = app::run_http_server(*app, hooks());
    ASSERT_FALSE(result);
    EXPECT_EQ(result.error().code, "listen_failed");
    EXPECT_NE(result.error().message.find(std::to_string(config_.server.port)), std::string::npos);
    EXPECT_EQ(probe_.refresh_started.load(), 0);
    EXPECT_EQ(probe_.stopped.load(), 1);
}

} // namespace
} // namespace switchboard
