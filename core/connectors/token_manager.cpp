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
    std::function<bool(const store::ConnectorCredentials&)> refresh;
};

TokenManager::TokenManager(std::shared_ptr<store::ConnectorRepository> repository,
                           std::shared_ptr<const ProviderDirectory> providers,
                           std::shared_ptr<const oauth::OAuthClient> oauth,
                           std::shared_ptr<ConnectorMetrics> metrics, store::WallClock clock,
                           TokenManagerOptions options)
    : repository_(std::move(repository)), providers_(std::move(providers)),
      oauth_(std::move(oauth)), metrics_(std::move(metrics)), clock_(std::move(clock)),
      options_(options) {}

std::chrono::system_clock::time_point TokenManager::now() const {
    return clock_ ? clock_() : std::chrono::system_clock::now();
}

std::shared_ptr<std::mutex> TokenManager::lock_for(std::string_view tenant_id,
                                                   std::string_view connector_id) {
    std::string key(tenant_id);
    key += '\n';
    key += connector_id;
    std::lock_guard guard(locks_mutex_);
    if (locks_.size() > 256) {
        std::erase_if(locks_, [](const auto& entry) { return entry.second.expired(); });
    }
    auto& slot = locks_[key];
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
    }};
    return obtain(tenant_id, connector_id, need, nullptr);
}

Result<AccessGrant> TokenManager::refresh_now(std::string_view tenant_id,
                                              std::string_view connector_id) {
    Need need{[](const store::ConnectorCredentials&) { return true; }};
    return obtain(tenant_id, connector_id, need, nullptr);
}

Result<bool> TokenManager::refresh_if_due(std::string_view tenant_id,
                                          std::string_view connector_id,
                                          std::chrono::seconds window) {
    const auto deadline = now() + window;
    Need need{[deadline](const store::ConnectorCredentials& c) {
        return c.tokens.expires_at && *c.tokens.expires_at <= deadline;
    }};
    bool refreshed = false;
    auto grant = obtain(tenant_id, connector_id, need, &refreshed);
    if (!grant) return grant.error();
    return refreshed;
}

Result<AccessGrant> TokenManager::obtain(std::string_view tenant_id, std::string_view connector_id,
                                         const Need& need, bool* refreshed) {
    auto credentials = repository_->get_credentials(tenant_id, connector_id);
    if (!credentials) return credentials.error();
    if (!need.refresh(*credentials)) return grant_of(*credentials);

    auto lock = lock_for(tenant_id, connector_id);
    std::lock_guard guard(*lock);
    // Another thread of this process may have refreshed while this one waited.
    credentials = repository_->get_credentials(tenant_id, connector_id);
    if (!credentials) return credentials.error();
    if (!need.refresh(*credentials)) return grant_of(*credentials);

    auto summary = repository_->get(tenant_id, connector_id);
    if (!summary) return summary.error();
    if (summary->status == store::ConnectorStatus::revoked) return connector_revoked();
    return refresh_locked(tenant_id, connector_id, *summary, *credentials, refreshed);
}

Result<AccessGrant> TokenManager::refresh_locked(std::string_view tenant_id,
                                                 std::string_view connector_id,
                                                 const store::ConnectorSummary& summary,
                                                 const store::ConnectorCredentials& credentials,
                                                 bool* refreshed) {
    const std::string& provider_id = summary.provider;
    auto provider = providers_->configured(provider_id);
    if (!provider) return provider.error();

    if (!credentials.tokens.refresh_token || credentials.tokens.refresh_token->empty()) {
        metrics_->token_refresh(provider_id, "failed");
        if (auto marked = repository_->set_status(tenant_id, connector_id,
                                                  store::ConnectorStatus::expired, expired_message);
            !marked) {
            spdlog::warn("cannot mark connector {} expired: {}", connector_id, marked.error().message);
        }
        return Error(ErrorKind::conflict, "connector_expired", std::string(expired_message));
    }

    auto tokens = oauth_->refresh(*(*provider)->descriptor, *(*provider)->credentials,
                                  *credentials.tokens.refresh_token);
    if (!tokens) {
        if (tokens.error().code == oauth::invalid_grant) {
            // With rotating refresh tokens, an instance that refreshed just before us retired
            // the token we sent: that is not a revocation.
            auto current = repository_->get_credentials(tenant_id, connector_id);
            if (current && current->credential_version != credentials.credential_version) {
                metrics_->token_refresh(provider_id, "superseded");
                return grant_of(*current);
            }
            metrics_->token_refresh(provider_id, "revoked");
            spdlog::warn("connector {} ({}) is revoked: the provider refused its refresh token",
                         connector_id, provider_id);
            if (auto marked = repository_->set_status(tenant_id, connector_id,
                                                      store::ConnectorStatus::revoked,
                                                      revoked_message);
                !marked) {
                spdlog::warn("cannot mark connector {} revoked: {}", connector_id,
                             marked.error().message);
            }
            return connector_revoked();
        }
        metrics_->token_refresh(provider_id, "failed");
        spdlog::warn("token refresh of connector {} ({}) failed: {} ({})", connector_id,
                     provider_id, tokens.error().code, tokens.error().message);
        return tokens.error();
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
            // Another instance stored a refresh first; use what it stored.
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
