// ConnectorManager: the ConnectorService behind /api/v1/connectors — the OAuth flow from the
// provider's descriptor (state + PKCE, code exchange, identity, encrypted storage), listing,
// refresh, disconnect (revoking at the provider) and running actions through the plugin with
// a ProviderHttpSession.
#pragma once

#include "core/config/config.hpp"
#include "core/connectors/access_token_verifier.hpp"
#include "core/connectors/connector_metrics.hpp"
#include "core/connectors/connector_service.hpp"
#include "core/connectors/pending_discarder.hpp"
#include "core/connectors/provider_directory.hpp"
#include "core/connectors/provider_http_session.hpp"
#include "core/connectors/token_manager.hpp"
#include "core/http/http_client.hpp"
#include "core/oauth/oauth_client.hpp"
#include "core/oauth/oauth_state_store.hpp"
#include "core/plugin/connector_factory.hpp"
#include "core/store/connector_repository.hpp"
#include "core/store/pending_connections.hpp"

#include <chrono>
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
    // `required` (the default): the callback parks the result as a pending connection that
    // only the principal who started the flow can confirm; `immediate`: the seed's
    // behaviour, active at once (whoever's browser finished the flow).
    config::ConnectConfirmation confirmation = config::ConnectConfirmation::required;
    // How long a completion code is good for: the OAuth state's TTL.
    std::chrono::seconds completion_ttl{300};
};

struct ConnectorManagerParts {
    std::shared_ptr<const ProviderDirectory> providers;
    std::shared_ptr<const plugin::ConnectorFactory> factory;
    std::shared_ptr<store::ConnectorRepository> repository;
    std::shared_ptr<oauth::OAuthStateStore> states;
    std::shared_ptr<const oauth::OAuthClient> oauth;
    std::shared_ptr<TokenManager> tokens;
    std::shared_ptr<http::HttpClient> http;
    std::shared_ptr<ConnectorMetrics> metrics;
    store::WallClock clock;
    std::shared_ptr<store::PendingConnections> pending;
    std::shared_ptr<PendingDiscarder> discarder;
};

// The account is the provider's identity (e.g. the e-mail) together with, where the
// descriptor names one (identity_account_field), the provider-side account (HubSpot's portal):
// the same login in a second portal is a second connector. A connection of an account that
// the tenant already has as a revoked, expired, failed or disconnected connector stores the
// new tokens in that connector (keeping its id, name and owner) and makes it active again;
// an active one is already_connected.
//
// Connect confirmation (the default): the callback is public, so it cannot know whose browser
// finished the flow. It parks the tokens as a pending connector bound to the tenant and user
// that started the flow, with a one-time completion code (256 bits; only its SHA-256 is
// stored; good for the state's TTL), and redirects to
//   <frontend>/settings/integrations?success=true&provider=<id>&completion=<code>.
// The front end, signed in, confirms with confirm_connection(). Another principal's
// confirmation, or none within the TTL, discards the tokens and revokes them at the provider
// (a background sweep, PendingDiscarder, handles expiry). In immediate mode the callback
// stores the connector active at once and redirects to ...?success=true&provider=<id>.
//
// Callback failures are redirects to
//   <frontend>/settings/integrations?success=false&error=<code>
// with <code> one of: invalid_state (missing, unknown, expired, replayed, or bound to another
// redirect URI), access_denied / invalid_scope / provider_error / provider_unavailable (the
// provider redirected with an error; see oauth::authorization_error_code), invalid_callback
// (no code), provider_not_configured, token_exchange_failed, identity_failed,
// already_connected (immediate mode), state_store_unavailable, storage_failed.
//
// An access token handed over (connect_with_access_token) is stored the same way, active at
// once: the caller proved the account by holding its token, so nothing waits for a
// confirmation. Its connector has no refresh token, no expiry and auth_method access_token;
// a disconnect removes it without asking the provider to revoke it (only the provider's own
// settings delete such a token).
//
// Other errors than those of the interface: invalid_input / `provider_type_mismatch` (field
// "type"), `invalid_connector_name` (field "name"); not_found / `provider_not_found`;
// unavailable / `provider_not_configured`; conflict / `connector_not_active` (also for a
// pending connector), `connector_revoked`, `connector_expired`; from disconnect without
// force, the provider's revocation errors (`provider_unavailable`, `provider_error`,
// `invalid_client`), with nothing removed.
class ConnectorManager final : public ConnectorService {
public:
    ConnectorManager(ConnectorManagerParts parts, ConnectorManagerOptions options);

    std::vector<ProviderInfo> providers() const override;
    Result<AuthorizationStart> start_authorization(const Principal& caller,
                                                   const AuthorizationRequest& request) override;
    CallbackOutcome complete_authorization(const CallbackQuery& query) override;
    Result<store::ConnectorSummary> connect_with_access_token(
        const Principal& caller, const AccessTokenConnection& request) override;
    Result<store::ConnectorSummary> confirm_connection(const Principal& caller,
                                                       std::string_view completion) override;
    Result<std::vector<store::ConnectorSummary>> list(const Principal& caller) override;
    Result<store::ConnectorSummary> get(const Principal& caller, std::string_view id) override;
    Result<DisconnectOutcome> disconnect(const Principal& caller, std::string_view id,
                                         const DisconnectOptions& options) override;
    Result<store::ConnectorSummary> refresh(const Principal& caller, std::string_view id) override;
    Result<nlohmann::json> invoke(const Principal& caller, std::string_view id,
                                  std::string_view action, std::string_view params_json) override;

    // The caller's connector `id` when it is active: what an action on it needs, and the
    // proxy too. Errors: not_found / `connector_not_found` (also another user's pending one),
    // conflict / `connector_not_active` (pending, revoked, expired, failed, disconnected).
    Result<store::ConnectorSummary> active_connector(const Principal& caller, std::string_view id);

    // Runs `action` on a connector already read (the action service resolves it itself).
    Result<nlohmann::json> invoke_connector(const store::ConnectorSummary& connector,
                                            std::string_view action, std::string_view params_json);

    const ConnectorManagerOptions& options() const noexcept { return options_; }

private:
    CallbackOutcome fail(std::string_view provider, std::string code);
    CallbackOutcome complete(const oauth::ConsumedOAuthState& state, const std::string& code);
    CallbackOutcome park(const oauth::OAuthStateBinding& binding, const store::NewConnector& connector);
    CallbackOutcome store_active(const oauth::OAuthStateBinding& binding,
                                 const store::NewConnector& connector);
    // Stores an active connection of `connector`'s account in the tenant: a new connector, or
    // the new tokens in the tenant's inactive connector of the same account (connected the same
    // way). Returns the connector's id. Errors: conflict / `already_connected` (the account is
    // active in the tenant), the repository's otherwise.
    Result<std::string> store_account(const std::string& tenant_id,
                                      const store::NewConnector& connector);
    Result<void> revoke_grant(const ProviderAccess& access, const store::ConnectorTokens& tokens);
    Result<DisconnectOutcome> discard_pending(const store::ConnectorSummary& summary,
                                              const DisconnectOptions& options);
    // The caller's view of a connector: another user's pending connector does not exist.
    Result<store::ConnectorSummary> visible(const Principal& caller, std::string_view id);
    std::string frontend_redirect(const std::vector<std::pair<std::string, std::string>>& query) const;
    std::chrono::system_clock::time_point now() const;

    ConnectorManagerParts parts_;
    ConnectorManagerOptions options_;
    AccessTokenVerifier access_tokens_;
};

// The Error an invocation's outcome maps to when it is not OK: the kind from the status (see
// ConnectorService::invoke), code, message and field from the plugin's error object, and
// details.retry_after_seconds as Error::retry_after_seconds.
Error outcome_error(const plugin::InvokeOutcome& outcome);

} // namespace switchboard::connectors
