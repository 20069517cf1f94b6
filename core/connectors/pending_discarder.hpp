// PendingDiscarder: gets rid of parked OAuth results that will never be confirmed — refused
// (another principal presented the code), cancelled by their owner, or left unconfirmed past
// their time — by revoking their tokens at the provider and then deleting the row. A sweep
// claims the due rows first (store::PendingConnections::claim_due), so with several instances
// on one database each row is handled by one of them at a time.
#pragma once

#include "core/common/error.hpp"
#include "core/connectors/connector_metrics.hpp"
#include "core/connectors/provider_directory.hpp"
#include "core/oauth/oauth_client.hpp"
#include "core/store/connector_repository.hpp"
#include "core/store/pending_connections.hpp"

#include <chrono>
#include <cstddef>
#include <memory>

namespace switchboard::connectors {

struct PendingDiscardOptions {
    // A row whose tokens still could not be revoked this long after it was parked is deleted
    // anyway (logged as an error): a provider that never answers must not keep tokens here
    // for ever. Until then a failed revocation is retried on later sweeps.
    std::chrono::seconds give_up_after{24 * 3600};
    // Rows claimed per sweep.
    std::size_t batch = 50;
};

// [thread-safe]
class PendingDiscarder {
public:
    PendingDiscarder(std::shared_ptr<store::PendingConnections> pending,
                     std::shared_ptr<store::ConnectorRepository> repository,
                     std::shared_ptr<const ProviderDirectory> providers,
                     std::shared_ptr<const oauth::OAuthClient> oauth,
                     std::shared_ptr<ConnectorMetrics> metrics, store::WallClock clock = {},
                     PendingDiscardOptions options = {});

    // Revokes the claimed row's tokens at its provider, then deletes the row. When the
    // provider cannot revoke them (unreachable, refusing), the row stays claimed and a later
    // sweep tries again; the error is returned. A provider that is not enabled any more, or
    // has no revocation endpoint, cannot revoke: the row is deleted, with a warning.
    Result<void> discard(const store::PendingClaim& claim);

    // One sweep on the calling thread: claims the rows whose time is up and discards them.
    // Returns how many were deleted.
    std::size_t sweep();

private:
    Result<void> revoke(const store::PendingClaim& claim);
    std::chrono::system_clock::time_point now() const;

    std::shared_ptr<store::PendingConnections> pending_;
    std::shared_ptr<store::ConnectorRepository> repository_;
    std::shared_ptr<const ProviderDirectory> providers_;
    std::shared_ptr<const oauth::OAuthClient> oauth_;
    std::shared_ptr<ConnectorMetrics> metrics_;
    store::WallClock clock_;
    PendingDiscardOptions options_;
};

} // namespace switchboard::connectors
