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
    std::optional<store::ConnectorSummary> connector;
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
    // identity and stores the encrypted tokens. Never fails: every failure is a redirect
    // with success=false&error=<code>, and stores nothing.
    virtual CallbackOutcome complete_authorization(const CallbackQuery& query) = 0;

    virtual Result<std::vector<store::ConnectorSummary>> list(const Principal& caller) = 0;

    // Another tenant's id is not_found, exactly like a missing one.
    virtual Result<store::ConnectorSummary> get(const Principal& caller, std::string_view id) = 0;

    // Revokes at the provider where it has an endpoint, then removes the credentials.
    virtual Result<void> disconnect(const Principal& caller, std::string_view id) = 0;

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
