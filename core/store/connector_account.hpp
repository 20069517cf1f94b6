// The data of a connected account, as the REST layer sees it. Plaintext tokens appear only
// in ConnectorTokens / ConnectorCredentials, in memory; the listing type has none.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace switchboard::store {

using Timestamp = std::chrono::sys_seconds;
// The time source of the stores (tests inject one).
using WallClock = std::function<std::chrono::system_clock::time_point()>;

enum class ConnectorStatus { pending, active, expired, revoked, error, disconnected };

std::string_view to_string(ConnectorStatus status) noexcept;
std::optional<ConnectorStatus> parse_connector_status(std::string_view text) noexcept;

// How the account was connected: the OAuth flow, or an access token the user handed over
// (issued by the provider outside OAuth, e.g. HubSpot's private-app token), which has no
// refresh token, never expires here, and is not revoked at the provider by a disconnect.
enum class AuthMethod { oauth, access_token };

std::string_view to_string(AuthMethod method) noexcept;
std::optional<AuthMethod> parse_auth_method(std::string_view text) noexcept;

// OAuth tokens in plaintext. Never logged, never put in an error.
struct ConnectorTokens {
    std::string access_token;
    std::optional<std::string> refresh_token;
    std::optional<Timestamp> expires_at;
};

// What create() needs. `category` is the `type` column (calendar, email, crm, drive).
struct NewConnector {
    std::string user_id;
    std::string category;
    std::string provider;
    std::string name;
    ConnectorStatus status = ConnectorStatus::active;
    std::string account_identity; // e.g. the e-mail address; empty when unknown
    // The provider-side account the identity acts in, where the provider has one (HubSpot's
    // portal, `hub_id`); empty otherwise. (identity, account_id) is the account.
    std::string account_id;
    std::vector<std::string> scopes;
    ConnectorTokens tokens;
    AuthMethod auth_method = AuthMethod::oauth;
};

// One connector without any secret: what get() and list() return.
struct ConnectorSummary {
    std::string id;
    std::string tenant_id;
    std::string user_id;
    std::string category;
    std::string provider;
    std::string name;
    ConnectorStatus status = ConnectorStatus::pending;
    std::string account_identity;
    std::string account_id; // see NewConnector
    AuthMethod auth_method = AuthMethod::oauth;
    std::vector<std::string> scopes;
    bool has_access_token = false;
    bool has_refresh_token = false;
    std::optional<Timestamp> token_expires_at;
    Timestamp created_at{};
    Timestamp updated_at{};
    std::optional<Timestamp> last_refreshed_at;
    std::string last_error;
    // Bumped by every token update; pass it back to update_tokens().
    std::int64_t credential_version = 0;
};

// The decrypted tokens of one connector, for the code that calls the provider.
struct ConnectorCredentials {
    std::string connector_id;
    ConnectorTokens tokens;
    std::int64_t credential_version = 0;
};

// Why a connector gets new tokens: what its event says.
enum class TokenUpdateCause {
    refresh,   // connector.refreshed
    reconnect, // the account connected again (an OAuth flow): connector.connected
};

// The result of a token refresh. A provider that returns no new refresh token keeps the
// stored one (refresh_token = nullopt); scopes = nullopt keeps the stored scopes.
struct TokenUpdate {
    std::string access_token;
    std::optional<std::string> refresh_token;
    std::optional<Timestamp> expires_at;
    std::optional<std::vector<std::string>> scopes;
    TokenUpdateCause cause = TokenUpdateCause::refresh;
};

// Optional narrowing of list(); the tenant is always a separate, mandatory argument.
struct ConnectorFilter {
    std::optional<std::string> user_id;
    std::optional<std::string> provider;
    std::optional<std::string> category;
    std::optional<ConnectorStatus> status;
};

// Scopes are stored space-separated, as OAuth writes them.
std::string join_scopes(const std::vector<std::string>& scopes);
std::vector<std::string> split_scopes(std::string_view text);

} // namespace switchboard::store
