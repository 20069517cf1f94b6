// TokenManager: the access token of a connector, refreshed when it is about to expire, after
// the provider rejected it, or on demand — once at a time per connector in this process (a
// mutex per connector), and once across instances (the stored credential version: whoever
// stores first wins, the others read what it stored).
#pragma once

#include "core/common/error.hpp"
#include "core/connectors/connector_metrics.hpp"
#include "core/connectors/provider_directory.hpp"
#include "core/oauth/oauth_client.hpp"
#include "core/store/connector_repository.hpp"

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

namespace switchboard::connectors {

// An access token and the credential version it was read at (secret: never logged).
struct AccessGrant {
    std::string access_token;
    std::int64_t credential_version = 0;
    std::optional<store::Timestamp> expires_at;
};

struct TokenManagerOptions {
    // A token that expires within this is refreshed before it is handed out.
    std::chrono::seconds refresh_margin{60};
};

// Errors of every method: not_found / `connector_not_found`; conflict / `connector_revoked`
// (the provider answered invalid_grant: the connector is now `revoked`, with a last_error
// saying so, and must be reconnected; or it was already revoked); conflict /
// `connector_expired` (the access token expired and there is no refresh token: the connector
// is now `expired`); the provider's errors (unavailable / `provider_unavailable`,
// upstream_failed / `invalid_client`, `provider_error`); not_found / `provider_not_found` and
// unavailable / `provider_not_configured`; and the database's errors. [thread-safe]
class TokenManager {
public:
    TokenManager(std::shared_ptr<store::ConnectorRepository> repository,
                 std::shared_ptr<const ProviderDirectory> providers,
                 std::shared_ptr<const oauth::OAuthClient> oauth,
                 std::shared_ptr<ConnectorMetrics> metrics, store::WallClock clock = {},
                 TokenManagerOptions options = {});

    // The current access token, refreshed first when it expires within the margin.
    Result<AccessGrant> access_token(std::string_view tenant_id, std::string_view connector_id);

    // After the provider rejected the token read at `rejected_version` (HTTP 401): refreshes,
    // unless the stored version has moved on (someone refreshed meanwhile; then that token).
    Result<AccessGrant> refresh_after_rejection(std::string_view tenant_id,
                                                std::string_view connector_id,
                                                std::int64_t rejected_version);

    // Refreshes now, whatever the expiry.
    Result<AccessGrant> refresh_now(std::string_view tenant_id, std::string_view connector_id);

    // Refreshes when the token expires within `window` (the background refresh's test, made
    // again under the lock: another instance may have refreshed since the lease). Returns
    // whether this call refreshed.
    Result<bool> refresh_if_due(std::string_view tenant_id, std::string_view connector_id,
                                std::chrono::seconds window);

private:
    struct Need;
    Result<AccessGrant> obtain(std::string_view tenant_id, std::string_view connector_id,
                               const Need& need, bool* refreshed);
    Result<AccessGrant> refresh_locked(std::string_view tenant_id, std::string_view connector_id,
                                       const store::ConnectorSummary& summary,
                                       const store::ConnectorCredentials& credentials,
                                       bool* refreshed);
    std::shared_ptr<std::mutex> lock_for(std::string_view tenant_id, std::string_view connector_id);
    std::chrono::system_clock::time_point now() const;

    std::shared_ptr<store::ConnectorRepository> repository_;
    std::shared_ptr<const ProviderDirectory> providers_;
    std::shared_ptr<const oauth::OAuthClient> oauth_;
    std::shared_ptr<ConnectorMetrics> metrics_;
    store::WallClock clock_;
    TokenManagerOptions options_;

    std::mutex locks_mutex_;
    std::map<std::string, std::weak_ptr<std::mutex>, std::less<>> locks_;
};

} // namespace switchboard::connectors
