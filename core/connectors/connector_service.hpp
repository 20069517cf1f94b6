// ConnectorService: what the REST API's /api/v1/connectors routes do, one method per route,
// with the caller's verified Principal. Implementations run on the server's worker pool
// (they block on the database, the state store and the providers) and return failures as
// values; the API edge maps them once to HTTP.
#pragma once

#include "core/auth/principal.hpp"
#include "core/common/error.hpp"
#include "core/store/connector_account.hpp"

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace switchboard::connectors {

using auth::Principal;

// One enabled provider, as GET /providers lists it.
struct ProviderInfo {
    std::string provider;     // the provider id, e.g. "google_calendar"
    std::string type;         // its category, e.g. "calendar"
    std::string name;         // display name
    std::string description;
    bool requires_oauth = true;
    bool configured = false;  // client credentials present in the environment
    std::vector<std::string> actions;
    // What the provider calls the access token a user may connect with instead of OAuth
    // (e.g. "Private app access token"); empty when it takes OAuth only.
    std::string access_token_label;
};

// POST /authorize's body.
struct AuthorizationRequest {
    std::string type;     // category; must match the provider's
    std::string provider; // provider id
    std::string name;     // the connector's name, chosen by the user
};

struct AuthorizationStart {
    std::string authorization_url; // where the browser goes next
    std::string state;
};

// POST /access-token's body: connect with an access token the provider issued outside OAuth.
struct AccessTokenConnection {
    std::string provider;     // provider id
    std::string access_token; // a secret: never logged, never answered
    std::string name;         // the connector's name; empty: "<display name> <account>"
};

// GET /callback's query, as the provider sent it (each absent when missing).
struct CallbackQuery {
    std::optional<std::string> code;
    std::optional<std::string> state;
    std::optional<std::string> error;
    std::optional<std::string> error_description;
};

// Where the browser is sent after the callback, success or failure; nothing else leaves
// the service (the redirect goes only to the configured FRONTEND_URL).
struct CallbackOutcome {
    std::string redirect_url;
    bool success = false;
    std::string error_code; // stable code on failure (e.g. access_denied, invalid_state)
    // The connector the callback stored: active (connect.confirmation "immediate"), or
    // pending until its starter confirms it (the default).
    std::optional<store::ConnectorSummary> connector;
    // The one-time completion code of a pending connection (also in redirect_url). A secret:
    // never logged.
    std::string completion;
};

// DELETE /{id}'s options.
struct DisconnectOptions {
    // Remove the local data even when the provider does not revoke the grant.
    bool force = false;
};

// What a disconnect did at the provider.
struct DisconnectOutcome {
    bool revoked_at_provider = false;
    // Why not, when it was not: the provider's error code (`provider_unavailable`, ...),
    // `revocation_unsupported` (no endpoint) or `provider_not_enabled`.
    std::string revocation_error;
};

class ConnectorService {
public:
    virtual ~ConnectorService() = default;

    virtual std::vector<ProviderInfo> providers() const = 0;

    // Stores a state (5 minutes, bound to tenant, user, provider, category, name and the
    // redirect URI) and builds the provider's authorization URL with the PKCE challenge.
    virtual Result<AuthorizationStart> start_authorization(const Principal& caller,
                                                           const AuthorizationRequest& request) = 0;

    // Consumes the state once, exchanges the code with the verifier, reads the account
    // identity and stores the encrypted tokens: as a pending connection with a one-time
    // completion code in the redirect (the default), or active at once (immediate mode).
    // Never fails: every failure is a redirect with success=false&error=<code>, and stores
    // nothing.
    virtual CallbackOutcome complete_authorization(const CallbackQuery& query) = 0;

    // POST /complete: the principal who started the flow confirms the pending connection
    // the callback's completion code names; it becomes active (or brings back the tenant's
    // inactive connector of the same account). Errors: not_found / `completion_not_found`
    // (unknown, expired or used code); forbidden / `completion_forbidden` (another tenant or
    // user: the tokens are discarded and revoked at the provider); conflict /
    // `already_connected` (the account is active in the tenant already).
    virtual Result<store::ConnectorSummary> confirm_connection(const Principal& caller,
                                                               std::string_view completion) = 0;

    // Connects the account an access token belongs to (the provider's sb_access_token_desc):
    // checks the token against the provider's identity URL, then stores it encrypted, with no
    // refresh token and no expiry, as an active connector of the caller (auth_method
    // access_token), announced like an OAuth connection (connector.connected). The account is
    // matched as the OAuth callback matches it: active already is conflict /
    // `already_connected`; a revoked, expired or failed connector of the same account gets
    // the token and is active again. Errors: not_found / `provider_not_found`; see
    // AccessTokenVerifier for the token's; invalid_input / `invalid_connector_name`.
    virtual Result<store::ConnectorSummary> connect_with_access_token(
        const Principal& caller, const AccessTokenConnection& request) = 0;

    // A pending connector is listed to the user who started its flow only, without its
    // account identity.
    virtual Result<std::vector<store::ConnectorSummary>> list(const Principal& caller) = 0;

    // Another tenant's id is not_found, exactly like a missing one (and so is another
    // user's pending connector).
    virtual Result<store::ConnectorSummary> get(const Principal& caller, std::string_view id) = 0;

    // Revokes at the provider where it has an endpoint, then removes the credentials. When
    // the provider does not revoke, nothing is removed (the provider's error is returned),
    // unless options.force: then the local data goes anyway and the outcome says why the
    // grant may still be live at the provider.
    virtual Result<DisconnectOutcome> disconnect(const Principal& caller, std::string_view id,
                                                 const DisconnectOptions& options) = 0;

    // Refreshes now. invalid_grant marks the connector revoked and returns a conflict error
    // with code `connector_revoked`.
    virtual Result<store::ConnectorSummary> refresh(const Principal& caller, std::string_view id) = 0;

    // Runs `action` on the connector: params validated against the category schema before
    // the plugin runs, the result validated after. Plugin failures map to errors:
    // INVALID_INPUT 400, AUTH 409 (reconnect needed), NOT_FOUND 404, RATE_LIMITED 429 (with
    // retry_after_seconds when known), UNAVAILABLE 503, UNSUPPORTED 501, INTERNAL 502, each
    // with the plugin's code and message.
    virtual Result<nlohmann::json> invoke(const Principal& caller, std::string_view id,
                                          std::string_view action,
                                          std::string_view params_json) = 0;
};

} // namespace switchboard::connectors
