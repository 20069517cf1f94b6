// ConnectorManager: the ConnectorService behind /api/v1/connectors — the OAuth flow from the
// provider's descriptor (state + PKCE, code exchange, identity, encrypted storage), listing,
// refresh, disconnect (revoking at the provider) and running actions through the plugin with
// a ProviderHttpSession.
#pragma once

#include "core/connectors/connector_metrics.hpp"
#include "core/connectors/connector_service.hpp"
#include "core/connectors/provider_directory.hpp"
#include "core/connectors/provider_http_session.hpp"
#include "core/connectors/token_manager.hpp"
#include "core/http/http_client.hpp"
#include "core/oauth/oauth_client.hpp"
#include "core/oauth/oauth_state_store.hpp"
#include "core/plugin/connector_factory.hpp"
#include "core/store/connector_repository.hpp"

#include <memory>
#include <string>

namespace switchboard::connectors {

// The path of the OAuth callback under the public API base URL.
inline constexpr std::string_view callback_path = "/api/v1/connectors/callback";

struct ConnectorManagerOptions {
    // `<public_urls.api_base_url>/api/v1/connectors/callback`: sent as redirect_uri and
    // matched exactly against the one bound to the state.
    std::string redirect_uri;
    // The front end the callback redirects to (no trailing slash); nothing in a request can
    // change it.
    std::string frontend_url;
    ProviderHttpOptions http;
};

struct ConnectorManagerParts {
    std::shared_ptr<const ProviderDirectory> providers;
    std::shared_ptr<const ConnectorFactory> factory;
    std::shared_ptr<store::ConnectorRepository> repository;
    std::shared_ptr<oauth::OAuthStateStore> states;
    std::shared_ptr<const oauth::OAuthClient> oauth;
    std::shared_ptr<TokenManager> tokens;
    std::shared_ptr<http::HttpClient> http;
    std::shared_ptr<ConnectorMetrics> metrics;
    store::WallClock clock;
};

// A callback for an account (same tenant, provider and identity) that already has a connector
// which is revoked, expired, in error or disconnected stores the new tokens in that connector
// (keeping its id, name and owner) and makes it active again; an active one is
// already_connected.
//
// Callback failures are redirects to
//   <frontend>/settings/integrations?success=false&error=<code>
// with <code> one of: invalid_state (missing, unknown, expired, replayed, or bound to another
// redirect URI), access_denied / invalid_scope / provider_error / provider_unavailable (the
// provider redirected with an error; see oauth::authorization_error_code), invalid_callback
// (no code), provider_not_configured, token_exchange_failed, identity_failed,
// already_connected, state_store_unavailable, storage_failed. Success is
//   <frontend>/settings/integrations?success=true&provider=<id>.
//
// Other errors than those of the interface: invalid_input / `provider_type_mismatch` (field
// "type"), `invalid_connector_name` (field "name"); not_found / `provider_not_found`;
// unavailable / `provider_not_configured`; conflict / `connector_not_active`,
// `connector_revoked`, `connector_expired`; from disconnect, the provider's revocation errors
// (`provider_unavailable`, `provider_error`, `invalid_client`), with nothing removed.
class ConnectorManager final : public ConnectorService {
public:
    ConnectorManager(ConnectorManagerParts parts, ConnectorManagerOptions options);

    std::vector<ProviderInfo> providers() const override;
    Result<AuthorizationStart> start_authorization(const Principal& caller,
                                                   const AuthorizationRequest& request) override;
    CallbackOutcome complete_authorization(const CallbackQuery& query) override;
    Result<std::vector<store::ConnectorSummary>> list(const Principal& caller) override;
    Result<store::ConnectorSummary> get(const Principal& caller, std::string_view id) override;
    Result<void> disconnect(const Principal& caller, std::string_view id) override;
    Result<store::ConnectorSummary> refresh(const Principal& caller, std::string_view id) override;
    Result<nlohmann::json> invoke(const Principal& caller, std::string_view id,
                                  std::string_view action, std::string_view params_json) override;

    // Runs `action` on a connector already read (the action service resolves it itself).
    Result<nlohmann::json> invoke_connector(const store::ConnectorSummary& connector,
                                            std::string_view action, std::string_view params_json);

    const ConnectorManagerOptions& options() const noexcept { return options_; }

private:
    CallbackOutcome fail(std::string_view provider, std::string code);
    CallbackOutcome complete(const oauth::ConsumedOAuthState& state, const std::string& code);
    std::string frontend_redirect(const std::vector<std::pair<std::string, std::string>>& query) const;
    std::chrono::system_clock::time_point now() const;

    ConnectorManagerParts parts_;
    ConnectorManagerOptions options_;
};

// The Error an invocation's outcome maps to when it is not OK: the kind from the status (see
// ConnectorService::invoke), code, message and field from the plugin's error object, and
// details.retry_after_seconds as Error::retry_after_seconds.
Error outcome_error(const InvokeOutcome& outcome);

} // namespace switchboard::connectors
