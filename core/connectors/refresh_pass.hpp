// RefreshPass: how one background refresh pass shares its leased connectors out among its
// workers. Soonest expiry first; never more than `per_provider` refreshes of one provider at
// a time (a provider's token endpoint sees at most that many of this instance's requests at
// once); and once a provider has failed as unavailable (5xx, timeout, unreachable) in this
// pass, none of its other connectors is tried in this pass: a provider that is down is asked
// once per pass, not once per connector. Those connectors are "skipped": the caller ends
// their leases, and they come due again on the next pass.
#pragma once

#include "core/store/refresh_lease.hpp"

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace switchboard::connectors {

// Thread-safe.
class RefreshPass {
public:
    RefreshPass(std::vector<store::LeasedConnector> leased, std::size_t per_provider);

    // The next connector to refresh, waiting while every one left belongs to a provider at
    // its limit; nullopt when none is left (or the pass was cancelled).
    std::optional<store::LeasedConnector> next();

    // Reports the end of a connector's refresh; `provider_down` skips the provider's
    // connectors not handed out yet.
    void finish(const store::LeasedConnector& connector, bool provider_down);

    // Hands nothing more out; what is left is skipped.
    void cancel();

    // The connectors whose work is not over (queued or running): the leases to keep renewing.
    std::vector<store::ConnectorRef> unfinished() const;

    // The connectors skipped so far, each returned once.
    std::vector<store::LeasedConnector> take_skipped();

private:
    bool may_start(const store::LeasedConnector& connector) const;

    const std::size_t per_provider_;
    mutable std::mutex mutex_;
    std::condition_variable changed_;
    std::deque<store::LeasedConnector> queue_;
    std::vector<store::ConnectorRef> running_;
    std::map<std::string, std::size_t, std::less<>> running_per_provider_;
    std::set<std::string, std::less<>> down_;
    std::vector<store::LeasedConnector> skipped_;
    bool cancelled_ = false;
};

} // namespace switchboard::connectors
