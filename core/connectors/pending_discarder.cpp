#include "core/connectors/pending_discarder.hpp"

#include <spdlog/spdlog.h>

namespace switchboard::connectors {

PendingDiscarder::PendingDiscarder(std::shared_ptr<store::PendingConnections> pending,
                                   std::shared_ptr<store::ConnectorRepository> repository,
                                   std::shared_ptr<const ProviderDirectory> providers,
                                   std::shared_ptr<const oauth::OAuthClient> oauth,
                                   std::shared_ptr<ConnectorMetrics> metrics,
                                   store::WallClock clock, PendingDiscardOptions options)
    : pending_(std::move(pending)), repository_(std::move(repository)),
      providers_(std::move(providers)), oauth_(std::move(oauth)), metrics_(std::move(metrics)),
      clock_(std::move(clock)), options_(options) {}

std::chrono::system_clock::time_point PendingDiscarder::now() const {
    return clock_ ? clock_() : std::chrono::system_clock::now();
}

Result<void> PendingDiscarder::revoke(const store::PendingClaim& claim) {
    const ProviderAccess* access = providers_->find(claim.provider);
    if (access == nullptr) {
        spdlog::warn("pending connection {}: provider {} is not enabled, so its tokens cannot be "
                     "revoked there; deleting them here",
                     claim.connector.connector_id, claim.provider);
        return {};
    }
    if (access->descriptor->oauth.revoke_style == plugin::RevokeStyle::none) {
        spdlog::warn("pending connection {}: provider {} has no revocation endpoint; deleting its "
                     "tokens here",
                     claim.connector.connector_id, claim.provider);
        return {};
    }
    auto credentials =
        repository_->get_credentials(claim.connector.tenant_id, claim.connector.connector_id);
    if (!credentials) {
        if (credentials.error().kind == ErrorKind::not_found) return {}; // gone already
        return credentials.error();
    }
    const auto& tokens = credentials->tokens;
    const std::string& token = tokens.refresh_token && !tokens.refresh_token->empty()
                                   ? *tokens.refresh_token
                                   : tokens.access_token;
    if (token.empty()) return {};
    return oauth_->revoke(*access->descriptor, token);
}

Result<void> PendingDiscarder::discard(const store::PendingClaim& claim) {
    auto revoked = revoke(claim);
    if (!revoked) {
        const bool give_up = now() >= claim.created_at + options_.give_up_after;
        if (!give_up) {
            spdlog::warn("pending connection {} ({}): revocation failed ({}); retrying later",
                         claim.connector.connector_id, claim.provider, revoked.error().code);
            return revoked.error();
        }
        spdlog::error("pending connection {} ({}): revocation still fails ({}) after {} s; "
                      "deleting the tokens here without revoking them",
                      claim.connector.connector_id, claim.provider, revoked.error().code,
                      options_.give_up_after.count());
    }
    if (auto removed = pending_->remove(claim.connector); !removed) return removed.error();
    metrics_->oauth_flow(claim.provider, "discarded");
    spdlog::info("discarded pending connection {} ({}){}", claim.connector.connector_id,
                 claim.provider, revoked ? ", its tokens revoked at the provider" : "");
    return {};
}

std::size_t PendingDiscarder::sweep() {
    auto due = pending_->claim_due(options_.batch);
    if (!due) {
        spdlog::warn("pending connection sweep: cannot claim expired rows: {}", due.error().message);
        return 0;
    }
    std::size_t discarded = 0;
    for (const auto& claim : *due) {
        if (discard(claim)) ++discarded;
    }
    return discarded;
}

} // namespace switchboard::connectors
