// A real Server on 127.0.0.1:0 with every API route registered over GoogleMock services and
// a real API-key authenticator: two tenants, each with one key.
#pragma once

#include "core/auth/api_key_authenticator.hpp"
#include "core/plugin/contract_catalog.hpp"
#include "host/api/api_routes.hpp"
#include "tests/api/api_client.hpp"
#include "tests/api/mock_services.hpp"
#include "tests/server/server_fixture.hpp"

namespace switchboard::api::testing {

inline const std::string kKeyA = "sbk_test_tenant_a_0123456789";
inline const std::string kKeyB = "sbk_test_tenant_b_0123456789";
inline const auth::Principal kTenantA{"tenant-a", "user-a"};
inline const auth::Principal kTenantB{"tenant-b", "user-b"};
inline const std::string kFrontend = "https://app.example.com";
// The proxy route's body limit in these tests.
inline constexpr std::uint64_t kProxyLimit = 3 * 1024 * 1024;

class ApiFixture : public server::testing::ServerFixture {
protected:
    ApiFixture() {
        auto keys = auth::ApiKeyAuthenticator::create({{kKeyA, kTenantA}, {kKeyB, kTenantB}});
        EXPECT_TRUE(keys) << keys.error().message;
        authenticator = std::shared_ptr<const auth::Authenticator>(std::move(*keys));
    }

    void start_api() {
        ApiContext context{connectors, actions, authenticator,
                           [this] { return ready.Call(); }, kFrontend,
                           plugin::ContractCatalog::embedded()};
        context.proxy = &proxy;
        context.proxy_max_request_bytes = kProxyLimit;
        start([&](server::Router& router) {
            table = add_api_routes(router, context, {"Switchboard API", "0.1.0-test",
                                                     "https://api.example.com"});
        });
    }

    ApiResponse call(http::verb method, std::string_view target,
                     std::map<std::string, std::string> headers = {}, std::string body = {}) {
        return send(port, method, target, headers, std::move(body));
    }
    // With tenant A's key, and Content-Type: application/json when there is a body.
    ApiResponse as_a(http::verb method, std::string_view target, std::string body = {},
                     std::map<std::string, std::string> headers = {}) {
        headers.emplace("Authorization", "Bearer " + kKeyA);
        if (!body.empty()) {
            headers.emplace("Content-Type", "application/json");
        }
        return call(method, target, std::move(headers), std::move(body));
    }

    ::testing::StrictMock<MockConnectorService> connectors;
    ::testing::StrictMock<MockActionService> actions;
    ::testing::StrictMock<MockProxyService> proxy;
    ::testing::StrictMock<::testing::MockFunction<Result<void>()>> ready;
    std::shared_ptr<const auth::Authenticator> authenticator;
    ApiTable table;
};

inline store::ConnectorSummary summary(std::string id, std::string tenant = "tenant-a") {
    store::ConnectorSummary s;
    s.id = std::move(id);
    s.tenant_id = std::move(tenant);
    s.user_id = "user-a";
    s.category = "calendar";
    s.provider = "google_calendar";
    s.name = "Work calendar";
    s.status = store::ConnectorStatus::active;
    s.account_identity = "jane@example.com";
    s.scopes = {"openid", "https://www.googleapis.com/auth/calendar.events"};
    s.has_access_token = true;
    s.has_refresh_token = true;
    s.token_expires_at = store::Timestamp(std::chrono::seconds(1714557600)); // 2024-05-01T10:00:00Z
    s.created_at = store::Timestamp(std::chrono::seconds(1714554000));       // 09:00:00Z
    s.updated_at = store::Timestamp(std::chrono::seconds(1714554060));
    s.credential_version = 3;
    return s;
}

} // namespace switchboard::api::testing
