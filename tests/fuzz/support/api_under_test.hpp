// The REST API as the host registers it (host/api's add_api_routes, plus the server's own
// /healthz and /metrics) over services that answer at once without a database: for the
// harnesses that fuzz what the routes read (the HTTP request through a server session, the
// JSON bodies and action params). The services are fakes only where a database or a provider
// would be; what they check of the input is the real thing: action params are parsed and
// validated against the category contracts as the plugin connector does before a plugin runs
// (core/plugin/plugin_connector.cpp), with the same ContractCatalog and depth limit.
//
// Callers authenticate with `Authorization: Bearer <api_key>` (ApiKeyAuthenticator) or with
// an HS256 JWT signed with `jwt_secret` (JwtAuthenticator, issuer `jwt_issuer`, audience
// `jwt_audience`, tenant in /app_metadata/tenant_id, the clock fixed at `jwt_now`).
#pragma once

#include "core/auth/api_key_authenticator.hpp"
#include "core/auth/composite_authenticator.hpp"
#include "core/auth/jwt_authenticator.hpp"
#include "core/plugin/contract_catalog.hpp"
#include "core/plugin/text_checks.hpp"
#include "host/api/api_routes.hpp"
#include "host/server/builtin_routes.hpp"
#include "tests/fuzz/support/fuzz_support.hpp"

#include <prometheus/registry.h>

#include <chrono>
#include <memory>
#include <string>

namespace switchboard::fuzz {

inline constexpr std::string_view api_key = "sbk_fuzz_tenant_0123456789";
inline constexpr std::string_view jwt_secret = "fuzz-hs256-secret-of-at-least-32-bytes!";
inline constexpr std::string_view jwt_issuer = "https://id.example.com/";
inline constexpr std::string_view jwt_audience = "switchboard";
inline constexpr std::chrono::seconds jwt_now{1717243200}; // 2024-06-01T12:00:00Z
inline constexpr std::string_view frontend_url = "https://app.example.com";

// The contract check a plugin connector makes before the plugin runs: JSON within the depth
// limit, then the category's params schema. Errors as PluginConnector reports them.
inline Result<void> check_params(std::string_view category, std::string_view action,
                                 std::string_view params_json) {
    const plugin::ContractCatalog& catalog = plugin::ContractCatalog::embedded();
    if (catalog.find_action(category, action) == nullptr) {
        return Error(ErrorKind::unsupported, "unsupported_action", "no such action");
    }
    if (!plugin::json_depth_within(params_json, 64)) {
        return Error(ErrorKind::invalid_input, "invalid_json", "params nest too deep");
    }
    const auto params = nlohmann::json::parse(params_json, nullptr, /*allow_exceptions=*/false);
    if (params.is_discarded()) {
        return Error(ErrorKind::invalid_input, "invalid_json", "params are not valid JSON");
    }
    if (auto valid = catalog.validate_params(category, action, params); !valid) {
        check(valid.error().kind == ErrorKind::invalid_input &&
                  valid.error().code == "invalid_params",
              "a params refusal is invalid_input/invalid_params");
        return Error(ErrorKind::invalid_input, "invalid_params", valid.error().message,
                     valid.error().field);
    }
    return {};
}

// One active connector per category, "c-<category>", in the caller's tenant.
inline store::ConnectorSummary connector_of(std::string_view category,
                                            const auth::Principal& caller) {
    store::ConnectorSummary s;
    s.id = "c-" + std::string(category);
    s.tenant_id = caller.tenant_id;
    s.user_id = caller.user_id;
    s.category = std::string(category);
    s.provider = "fuzz_" + std::string(category);
    s.name = "Fuzz " + std::string(category);
    s.status = store::ConnectorStatus::active;
    s.account_identity = "fuzz@example.com";
    s.scopes = {"scope"};
    s.has_access_token = true;
    s.created_at = store::Timestamp(std::chrono::seconds(1714554000));
    s.updated_at = s.created_at;
    return s;
}

inline std::optional<std::string> category_of_connector(std::string_view id) {
    for (const auto& category : plugin::ContractCatalog::embedded().categories()) {
        if (id == "c-" + category) {
            return category;
        }
    }
    return std::nullopt;
}

class FakeConnectorService final : public connectors::ConnectorService {
public:
    std::vector<connectors::ProviderInfo> providers() const override {
        std::vector<connectors::ProviderInfo> out;
        for (const auto& category : plugin::ContractCatalog::embedded().categories()) {
            connectors::ProviderInfo info;
            info.provider = "fuzz_" + category;
            info.type = category;
            info.name = "Fuzz " + category;
            info.configured = true;
            for (const auto& action : *plugin::ContractCatalog::embedded().actions(category)) {
                info.actions.push_back(action.name);
            }
            out.push_back(std::move(info));
        }
        return out;
    }

    Result<connectors::AuthorizationStart> start_authorization(
        const auth::Principal&, const connectors::AuthorizationRequest& request) override {
        if (request.provider != "fuzz_" + request.type ||
            !plugin::ContractCatalog::embedded().has_category(request.type)) {
            return Error(ErrorKind::not_found, "provider_not_found", "no such provider",
                         "provider");
        }
        return connectors::AuthorizationStart{"https://accounts.example.com/authorize?state=s1",
                                              "s1"};
    }

    connectors::CallbackOutcome complete_authorization(
        const connectors::CallbackQuery& query) override {
        connectors::CallbackOutcome outcome;
        outcome.error_code = query.error ? "access_denied" : "invalid_state";
        outcome.redirect_url = std::string(frontend_url) +
                               "/settings/integrations?success=false&error=" + outcome.error_code;
        return outcome;
    }

    // The fuzzers reach no provider: every token is refused as a provider would refuse it.
    Result<store::ConnectorSummary> connect_with_access_token(
        const auth::Principal&, const connectors::AccessTokenConnection& request) override {
        if (request.provider != "fuzz_crm") {
            return Error(ErrorKind::invalid_input, "access_token_unsupported",
                         "the provider takes OAuth only", "provider");
        }
        return Error(ErrorKind::invalid_input, "access_token_rejected",
                     "the provider refused the access token", "access_token");
    }

    Result<store::ConnectorSummary> confirm_connection(const auth::Principal&,
                                                       std::string_view) override {
        return Error(ErrorKind::not_found, "completion_not_found", "no such completion code");
    }

    Result<std::vector<store::ConnectorSummary>> list(const auth::Principal& caller) override {
        std::vector<store::ConnectorSummary> out;
        for (const auto& category : plugin::ContractCatalog::embedded().categories()) {
            out.push_back(connector_of(category, caller));
        }
        return out;
    }

    Result<store::ConnectorSummary> get(const auth::Principal& caller,
                                        std::string_view id) override {
        if (const auto category = category_of_connector(id)) {
            return connector_of(*category, caller);
        }
        return not_found();
    }

    Result<connectors::DisconnectOutcome> disconnect(const auth::Principal&, std::string_view id,
                                                     const connectors::DisconnectOptions&) override {
        if (category_of_connector(id)) {
            return connectors::DisconnectOutcome{true, {}};
        }
        return not_found();
    }

    Result<store::ConnectorSummary> refresh(const auth::Principal& caller,
                                            std::string_view id) override {
        return get(caller, id);
    }

    Result<nlohmann::json> invoke(const auth::Principal&, std::string_view id,
                                  std::string_view action, std::string_view params_json) override {
        const auto category = category_of_connector(id);
        if (!category) {
            return not_found();
        }
        if (auto checked = check_params(*category, action, params_json); !checked) {
            return checked.error();
        }
        return nlohmann::json{{"fuzz", "ok"}};
    }

private:
    static Error not_found() {
        return Error(ErrorKind::not_found, "connector_not_found", "no such connector");
    }
};

class FakeActionService final : public connectors::ActionService {
public:
    Result<connectors::ActionResult> run(const auth::Principal& caller,
                                         const connectors::ActionRequest& request) override {
        const auto connector = connector_of(request.category, caller);
        if ((request.connector_id && *request.connector_id != connector.id) ||
            (request.connector_name && *request.connector_name != connector.name)) {
            return Error(ErrorKind::not_found, "no_active_connector", "no such connector");
        }
        if (auto checked = check_params(request.category, request.action, request.params_json);
            !checked) {
            return checked.error();
        }
        return connectors::ActionResult{nlohmann::json{{"fuzz", "ok"}}, connector.id,
                                        connector.provider, false};
    }
};

// The routes, their services and the authenticators; one per process (instance()).
class ApiUnderTest {
public:
    static ApiUnderTest& instance() {
        static ApiUnderTest api;
        return api;
    }

    ApiUnderTest() : registry_(std::make_shared<prometheus::Registry>()) {
        auto keys = auth::ApiKeyAuthenticator::create(
            {{std::string(api_key), auth::Principal{"tenant-fuzz", "user-fuzz"}}});
        check(keys.has_value(), "the API key authenticator is made");
        auth::JwtAuthenticatorOptions jwt;
        jwt.hs256_secret = std::string(jwt_secret);
        jwt.issuer = std::string(jwt_issuer);
        jwt.audiences = {std::string(jwt_audience)};
        jwt.now = [] { return std::chrono::system_clock::time_point(jwt_now); };
        auto tokens = auth::JwtAuthenticator::create(std::move(jwt));
        check(tokens.has_value(), "the JWT authenticator is made");
        authenticator_ = std::make_shared<auth::CompositeAuthenticator>(
            std::vector<std::shared_ptr<const auth::Authenticator>>{std::move(*tokens),
                                                                     std::move(*keys)});
        api::ApiContext context{connectors_,   actions_,
                                authenticator_, [] { return Result<void>(); },
                                std::string(frontend_url), plugin::ContractCatalog::embedded()};
        server::add_health_route(router_);
        server::add_metrics_route(router_, registry_);
        table_ = api::add_api_routes(router_, context, {"Switchboard API", "fuzz", ""});
    }

    const server::Router& router() const { return router_; }
    const std::shared_ptr<prometheus::Registry>& registry() const { return registry_; }

private:
    std::shared_ptr<prometheus::Registry> registry_;
    FakeConnectorService connectors_;
    FakeActionService actions_;
    std::shared_ptr<const auth::Authenticator> authenticator_;
    server::Router router_;
    api::ApiTable table_;
};

} // namespace switchboard::fuzz
