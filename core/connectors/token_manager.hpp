// TokenManager: the access token of a connector, refreshed when it is about to expire, after
// the provider rejected it, or on demand.
//
// One refresh per connector is in flight at a time across every instance: a caller takes this
// process's mutex for the connector (so its threads queue here, without database round
// trips), then the connector's refresh lock in the database (store::RefreshLocks: a lease,
// renewed while the refresh runs). Under both it reads the connector again; when someone else
// refreshed while it waited, it uses that result instead of refreshing, so concurrent callers
// share the winner's refresh. This matters most with rotating refresh tokens, where a second
// use of the same refresh token is refused as invalid_grant.
//
// invalid_grant marks the connector `revoked` only after confirming, under the lock, that the
// refused refresh token is still the stored one, and the write is guarded by the credential
// version read with it (like every token write): a reconnect or another refresh that stored
// newer tokens meanwhile wins, and this caller uses those.
#pragma once

#include "core/common/error.hpp"
#include "core/connectors/connector_metrics.hpp"
#include "core/connectors/provider_directory.hpp"
#include "core/oauth/oauth_client.hpp"
#include "core/ratelimit/rate_limiter.hpp"
#include "core/store/connector_repository.hpp"
#include "core/store/refresh_lock.hpp"

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
    // How long a caller waits for another caller's (or instance's) refresh of the same
    // connector before giving up with `refresh_in_progress`: longer than a refresh can take
    // (the OAuth client's deadline is 30 s).
    std::chrono::milliseconds lock_wait{45000};
};

// Errors of every method: not_found / `connector_not_found`; conflict / `connector_revoked`
// (the provider answered invalid_grant to the stored refresh token: the connector is now
// `revoked`, with a last_error saying so, and must be reconnected; or it was already
// revoked; or it has neither refresh token nor expiry, like an access token connected without
// OAuth, and the provider refused it: it is now `revoked`); conflict / `connector_expired` (the
// access token expired and there is no refresh token: the connector is now `expired`);
// conflict / `refresh_unsupported` (refresh_now of a token with neither refresh token nor
// expiry: there is nothing to refresh, and the connector stays as it is); upstream_failed / `invalid_client` (the provider
// refused the host's client credentials: the connector is now `error`, and an operator must
// fix the provider's configuration); the provider's other errors (unavailable /
// `provider_unavailable`, upstream_failed / `provider_error`); unavailable /
// `refresh_in_progress` (another refresh of the connector outlasted lock_wait); rate_limited
// / `rate_limited` (the outbound rate limit of the provider, or of the tenant at the provider,
// refused the refresh: nothing was sent, nothing is recorded); not_found /
// `provider_not_found` and unavailable / `provider_not_configured`; and the database's
// errors. [thread-safe]
//
// Every outcome of a refresh is recorded through the repository, and so announced as an event:
// new tokens (connector.refreshed), a refusal (connector.revoked, connector.expired, or
// connector.refresh_failed with status error for invalid_client), and a failure that leaves
// the connector as it was (connector.refresh_failed, the last error set).
class TokenManager {
public:
    TokenManager(std::shared_ptr<store::ConnectorRepository> repository,
                 std::shared_ptr<store::RefreshLocks> locks,
                 std::shared_ptr<const ProviderDirectory> providers,
                 std::shared_ptr<const oauth::OAuthClient> oauth,
                 std::shared_ptr<ConnectorMetrics> metrics, store::WallClock clock = {},
                 TokenManagerOptions options = {},
                 std::shared_ptr<ratelimit::RateLimiter> limiter = nullptr);

    // The current access token, refreshed first when it expires within the margin.
    Result<AccessGrant> access_token(std::string_view tenant_id, std::string_view connector_id);

    // After the provider rejected the token read at `rejected_version` (HTTP 401): refreshes,
    // unless the stored version has moved on (someone refreshed meanwhile; then that token).
    Result<AccessGrant> refresh_after_rejection(std::string_view tenant_id,
                                                std::string_view connector_id,
                                                std::int64_t rejected_version);

    // Refreshes now, whatever the expiry, unless a refresh completed while this call waited
    // for the lock: then that refresh's result.
    Result<AccessGrant> refresh_now(std::string_view tenant_id, std::string_view connector_id);

    // Refreshes when the token expires within `window` (the background refresh's test, made
    // again under the lock: another instance may have refreshed since the lease). Does not
    // wait for a refresh already in flight. Returns whether this call refreshed.
    Result<bool> refresh_if_due(std::string_view tenant_id, std::string_view connector_id,
                                std::chrono::seconds window);

private:
    // Why a refresh is asked for: what to do when there is no refresh token depends on it.
    enum class Cause { expiring, rejected, requested };
    struct Need;
    Result<AccessGrant> obtain(std::string_view tenant_id, std::string_view connector_id,
                               const Need& need, bool* refreshed);
    Result<AccessGrant> refresh_locked(std::string_view tenant_id, std::string_view connector_id,
                                       const store::ConnectorSummary& summary,
                                       const store::ConnectorCredentials& credentials,
                                       Cause cause, bool* refreshed);
    // A connector without refresh token: expired when its token expired; revoked when the
    // provider refused a token that does not expire; otherwise there is nothing to do.
    Result<AccessGrant> without_refresh_token(std::string_view tenant_id,
                                              std::string_view connector_id,
                                              const std::string& provider_id,
                                              const store::ConnectorCredentials& credentials,
                                              Cause cause);
    // What a refused refresh token means, decided under the lock.
    Result<AccessGrant> refused_grant(std::string_view tenant_id, std::string_view connector_id,
                                      const std::string& provider_id,
                                      const store::ConnectorCredentials& credentials);
    // Sets the connector's status unless its credential version moved on since `credentials`
    // were read; then returns the newer credentials' grant instead of `failure`.
    Result<AccessGrant> mark(std::string_view tenant_id, std::string_view connector_id,
                             const store::ConnectorCredentials& credentials,
                             store::ConnectorStatus status, std::string_view reason,
                             std::string_view error_code, Error failure);
    std::shared_ptr<std::mutex> lock_for(std::string_view tenant_id, std::string_view connector_id);
    std::chrono::system_clock::time_point now() const;

    std::shared_ptr<store::ConnectorRepository> repository_;
    std::shared_ptr<store::RefreshLocks> locks_;
    std::shared_ptr<const ProviderDirectory> providers_;
    std::shared_ptr<const oauth::OAuthClient> oauth_;
    std::shared_ptr<ConnectorMetrics> metrics_;
    store::WallClock clock_;
    TokenManagerOptions options_;
    std::shared_ptr<ratelimit::RateLimiter> limiter_;

    std::mutex locks_mutex_;
    std::map<std::string, std::weak_ptr<std::mutex>, std::less<>> process_locks_;
};

} // namespace switchboard::connectors
