#include "core/connectors/token_manager.hpp"

#include <spdlog/spdlog.h>

#include <functional>

namespace switchboard::connectors {
namespace {

constexpr std::string_view revoked_message =
    "the provider refused the refresh token (invalid_grant): the authorization was revoked or "
    "has expired; reconnect the account";
constexpr std::string_view expired_message =
    "the access token expired and the provider gave no refresh token; reconnect the account";
constexpr std::string_view access_token_refused_message =
    "the provider refused the access token, which does not expire and cannot be refreshed (it "
    "was deleted or rotated at the provider); connect the account again with a new token";
constexpr std::string_view client_refused_message =
    "the provider refused this host's OAuth client credentials (invalid_client); an operator "
    "must correct the provider's configuration, then refresh or reconnect the account";

AccessGrant grant_of(const store::ConnectorCredentials& credentials) {
    return AccessGrant{credentials.tokens.access_token, credentials.credential_version,
                       credentials.tokens.expires_at};
}

Error connector_revoked() {
    return Error(ErrorKind::conflict, "connector_revoked",
                 "the provider no longer accepts this connector's authorization; reconnect the "
                 "account");
}

} // namespace

struct TokenManager::Need {
    // Whether the stored credentials call for a refresh.
    std::function<bool(const store::ConnectorCredentials&)> refresh;
    // Wait for a refresh already in flight (false: leave the connector to its holder).
    bool wait = true;
    Cause cause = Cause::expiring;
};

TokenManager::TokenManager(std::shared_ptr<store::ConnectorRepository> repository,
                           std::shared_ptr<store::RefreshLocks> locks,
                           std::shared_ptr<const ProviderDirectory> providers,
                           std::shared_ptr<const oauth::OAuthClient> oauth,
                           std::shared_ptr<ConnectorMetrics> metrics, store::WallClock clock,
                           TokenManagerOptions options,
                           std::shared_ptr<ratelimit::RateLimiter> limiter)
    : repository_(std::move(repository)), locks_(std::move(locks)),
      providers_(std::move(providers)), oauth_(std::move(oauth)), metrics_(std::move(metrics)),
      clock_(std::move(clock)), options_(options),
      limiter_(limiter ? std::move(limiter) : std::make_shared<ratelimit::UnlimitedRateLimiter>()) {}

std::chrono::system_clock::time_point TokenManager::now() const {
    return clock_ ? clock_() : std::chrono::system_clock::now();
}

std::shared_ptr<std::mutex> TokenManager::lock_for(std::string_view tenant_id,
                                                   std::string_view connector_id) {
    std::string key(tenant_id);
    key += '\n';
    key += connector_id;
    std::lock_guard guard(locks_mutex_);
    if (process_locks_.size() > 256) {
        std::erase_if(process_locks_, [](const auto& entry) { return entry.second.expired(); });
    }
    auto& slot = process_locks_[key];
    auto lock = slot.lock();
    if (!lock) {
        lock = std::make_shared<std::mutex>();
        slot = lock;
    }
    return lock;
}

Result<AccessGrant> TokenManager::access_token(std::string_view tenant_id,
                                               std::string_view connector_id) {
    const auto deadline = now() + options_.refresh_margin;
    Need need{[deadline](const store::ConnectorCredentials& c) {
        return c.tokens.access_token.empty() ||
               (c.tokens.expires_at && *c.tokens.expires_at <= deadline);
    }};
    return obtain(tenant_id, connector_id, need, nullptr);
}

Result<AccessGrant> TokenManager::refresh_after_rejection(std::string_view tenant_id,
                                                          std::string_view connector_id,
                                                          std::int64_t rejected_version) {
    Need need{[rejected_version](const store::ConnectorCredentials& c) {
                  return c.credential_version == rejected_version;
              },
              true, Cause::rejected};
    return obtain(tenant_id, connector_id, need, nullptr);
}

Result<AccessGrant> TokenManager::refresh_now(std::string_view tenant_id,
                                              std::string_view connector_id) {
    // The version this call first sees: once it has moved, a refresh completed after the
    // call began, and its result is what the caller asked for.
    std::optional<std::int64_t> seen;
    Need need{[&seen](const store::ConnectorCredentials& c) {
                  if (!seen) seen = c.credential_version;
                  return c.credential_version == *seen;
              },
              true, Cause::requested};
    return obtain(tenant_id, connector_id, need, nullptr);
}

Result<bool> TokenManager::refresh_if_due(std::string_view tenant_id,
                                          std::string_view connector_id,
                                          std::chrono::seconds window) {
    const auto deadline = now() + window;
    Need need{[deadline](const store::ConnectorCredentials& c) {
                  return c.tokens.expires_at && *c.tokens.expires_at <= deadline;
              },
              false};
    bool refreshed = false;
    auto grant = obtain(tenant_id, connector_id, need, &refreshed);
    if (!grant) {
        if (grant.error().code == "refresh_in_progress") return false; // its holder does it
        return grant.error();
    }
    return refreshed;
}

Result<AccessGrant> TokenManager::obtain(std::string_view tenant_id, std::string_view connector_id,
                                         const Need& need, bool* refreshed) {
    auto credentials = repository_->get_credentials(tenant_id, connector_id);
    if (!credentials) return credentials.error();
    if (!need.refresh(*credentials)) return grant_of(*credentials);

    // This process's threads queue on a mutex, and only its holder goes to the database.
    auto process_lock = lock_for(tenant_id, connector_id);
    std::unique_lock in_process(*process_lock, std::defer_lock);
    if (need.wait) {
        in_process.lock();
    } else if (!in_process.try_lock()) {
        return store::refresh_in_progress(connector_id);
    }
    // Another thread of this process may have refreshed while this one waited.
    credentials = repository_->get_credentials(tenant_id, connector_id);
    if (!credentials) return credentials.error();
    if (!need.refresh(*credentials)) return grant_of(*credentials);

    auto held = locks_->acquire(tenant_id, connector_id,
                                need.wait ? options_.lock_wait : std::chrono::milliseconds(0));
    if (!held) return held.error();
    // Another instance may have refreshed while this one waited for the lock.
    credentials = repository_->get_credentials(tenant_id, connector_id);
    if (!credentials) return credentials.error();
    if (!need.refresh(*credentials)) return grant_of(*credentials);

    auto summary = repository_->get(tenant_id, connector_id);
    if (!summary) return summary.error();
    if (summary->status == store::ConnectorStatus::revoked) return connector_revoked();
    return refresh_locked(tenant_id, connector_id, *summary, *credentials, need.cause, refreshed);
}

Result<AccessGrant> TokenManager::mark(std::string_view tenant_id, std::string_view connector_id,
                                       const store::ConnectorCredentials& credentials,
                                       store::ConnectorStatus status, std::string_view reason,
                                       std::string_view error_code, Error failure) {
    auto marked = repository_->set_status(tenant_id, connector_id, credentials.credential_version,
                                          status, reason, error_code);
    if (marked) return failure;
    if (marked.error().code == "credential_version_conflict") {
        // Newer tokens were stored meanwhile (a reconnect, or a refresh): they stand.
        auto current = repository_->get_credentials(tenant_id, connector_id);
        if (!current) return current.error();
        return grant_of(*current);
    }
    spdlog::warn("cannot mark connector {} {}: {}", connector_id, store::to_string(status),
                 marked.error().message);
    return failure;
}

Result<AccessGrant> TokenManager::refused_grant(std::string_view tenant_id,
                                                std::string_view connector_id,
                                                const std::string& provider_id,
                                                const store::ConnectorCredentials& credentials) {
    // Confirm, under the lock, that the refused token is still the stored one: if another
    // instance rotated it (its lease lapsed mid-refresh) or the account was reconnected, the
    // refusal is about a token that is no longer ours.
    auto current = repository_->get_credentials(tenant_id, connector_id);
    if (!current) return current.error();
    if (current->credential_version != credentials.credential_version ||
        current->tokens.refresh_token != credentials.tokens.refresh_token) {
        metrics_->token_refresh(provider_id, "superseded");
        return grant_of(*current);
    }
    metrics_->token_refresh(provider_id, "revoked");
    spdlog::warn("connector {} ({}) is revoked: the provider refused its refresh token",
                 connector_id, provider_id);
    return mark(tenant_id, connector_id, *current, store::ConnectorStatus::revoked,
                revoked_message, oauth::invalid_grant, connector_revoked());
}

Result<AccessGrant> TokenManager::without_refresh_token(
    std::string_view tenant_id, std::string_view connector_id, const std::string& provider_id,
    const store::ConnectorCredentials& credentials, Cause cause) {
    if (credentials.tokens.expires_at || credentials.tokens.access_token.empty()) {
        metrics_->token_refresh(provider_id, "failed");
        return mark(tenant_id, connector_id, credentials, store::ConnectorStatus::expired,
                    expired_message, "no_refresh_token",
                    Error(ErrorKind::conflict, "connector_expired", std::string(expired_message)));
    }
    // A token that does not expire (an access token handed over instead of OAuth).
    if (cause == Cause::rejected) {
        metrics_->token_refresh(provider_id, "revoked");
        spdlog::warn("connector {} ({}) is revoked: the provider refused its access token, "
                     "which cannot be refreshed",
                     connector_id, provider_id);
        return mark(tenant_id, connector_id, credentials, store::ConnectorStatus::revoked,
                    access_token_refused_message, "access_token_rejected",
                    Error(ErrorKind::conflict, "connector_revoked",
                          std::string(access_token_refused_message)));
    }
    return Error(ErrorKind::conflict, "refresh_unsupported",
                 "connector '" + std::string(connector_id) +
                     "' has no refresh token: its access token does not expire here, and only "
                     "connecting a new token replaces it");
}

Result<AccessGrant> TokenManager::refresh_locked(std::string_view tenant_id,
                                                 std::string_view connector_id,
                                                 const store::ConnectorSummary& summary,
                                                 const store::ConnectorCredentials& credentials,
                                                 Cause cause, bool* refreshed) {
    const std::string& provider_id = summary.provider;
    // Decided before the client credentials are looked up: a connector without refresh token
    // never uses them (an access token connected without OAuth needs none configured).
    if (!credentials.tokens.refresh_token || credentials.tokens.refresh_token->empty()) {
        return without_refresh_token(tenant_id, connector_id, provider_id, credentials, cause);
    }
    auto provider = providers_->configured(provider_id);
    if (!provider) return provider.error();

    // The token endpoint is one of the provider's: its calls count against the same limits.
    if (auto admitted = limiter_->acquire(provider_id, tenant_id); !admitted) {
        spdlog::info("token refresh of connector {} ({}) not sent: {}", connector_id, provider_id,
                     admitted.error().code);
        return admitted.error();
    }
    auto tokens = oauth_->refresh(*(*provider)->descriptor, *(*provider)->credentials,
                                  *credentials.tokens.refresh_token);
    if (!tokens) {
        const Error& error = tokens.error();
        if (error.code == oauth::invalid_grant) {
            return refused_grant(tenant_id, connector_id, provider_id, credentials);
        }
        metrics_->token_refresh(provider_id, "failed");
        if (error.code == oauth::invalid_client) {
            // Every connector of the provider fails the same way: an operator's problem.
            spdlog::error("provider {} refused this host's OAuth client credentials "
                          "(invalid_client) while refreshing connector {}: check the client id "
                          "and secret the provider's config names (providers.{}.client_id_env, "
                          "client_secret_env); the connector is marked error",
                          provider_id, connector_id, provider_id);
            return mark(tenant_id, connector_id, credentials, store::ConnectorStatus::error,
                        client_refused_message, oauth::invalid_client, error);
        }
        spdlog::warn("token refresh of connector {} ({}) failed: {} ({})", connector_id,
                     provider_id, error.code, error.message);
        if (auto recorded = repository_->record_refresh_failure(
                tenant_id, connector_id, credentials.credential_version, error.code,
                "the token refresh failed (" + error.code + "): " + error.message);
            !recorded) {
            spdlog::warn("cannot record the failed refresh of connector {}: {}", connector_id,
                         recorded.error().code);
        }
        return error;
    }

    store::TokenUpdate update;
    update.access_token = tokens->access_token;
    update.refresh_token = tokens->refresh_token; // nullopt keeps the stored one
    if (tokens->expires_in) {
        update.expires_at = std::chrono::time_point_cast<std::chrono::seconds>(now()) +
                            *tokens->expires_in;
    }
    update.scopes = tokens->scopes;
    auto version = repository_->update_tokens(tenant_id, connector_id,
                                              credentials.credential_version, update);
    if (!version) {
        if (version.error().code == "credential_version_conflict") {
            // Newer tokens were stored meanwhile (a reconnect): they stand.
            metrics_->token_refresh(provider_id, "superseded");
            auto current = repository_->get_credentials(tenant_id, connector_id);
            if (!current) return current.error();
            return grant_of(*current);
        }
        metrics_->token_refresh(provider_id, "failed");
        return version.error();
    }
    metrics_->token_refresh(provider_id, "succeeded");
    if (refreshed != nullptr) *refreshed = true;
    spdlog::info("refreshed the access token of connector {} ({})", connector_id, provider_id);
    return AccessGrant{update.access_token, *version, update.expires_at};
}

} // namespace switchboard::connectors
