// EventOutbox: writes a connector's events into the outbox (connector_events) and, for each
// configured webhook endpoint, the delivery that the webhook delivery will make of it — inside
// the transaction of the change the event describes (record_status_change() calls it), so
// that an event exists if and only if its change committed.
#pragma once

#include "core/common/error.hpp"
#include "core/store/connector_account.hpp"
#include "core/store/connector_event.hpp"

#include <string>
#include <vector>

namespace soci {
class session;
}

namespace switchboard::store {

struct ConnectorStatusChange;

// Immutable; thread-safe. Every instance sharing a database must be built with the same
// endpoint names (config `events.webhooks`): an event gets deliveries for the endpoints of
// the instance that wrote it.
class EventOutbox {
public:
    explicit EventOutbox(std::vector<std::string> webhook_endpoints = {}, WallClock clock = {});

    // Appends the event `type` of `change` (the connector's provider, category and user are
    // read from its row, which must still exist) with the tenant's next sequence number.
    // The tenant's sequence row stays locked until the transaction ends: that is what makes
    // sequence numbers follow commit order (a reader that sees N has seen every N' < N), and
    // why the caller must hold the connector's row lock before (lock order: the connector,
    // then the tenant's sequence). SOCI exceptions propagate (the transaction rolls back);
    // errors: internal / `random_unavailable`, internal / `connector_not_found` (no row).
    Result<void> append(soci::session& sql, const ConnectorStatusChange& change,
                        ConnectorEventType type) const;

    const std::vector<std::string>& webhook_endpoints() const noexcept { return endpoints_; }

private:
    std::vector<std::string> endpoints_;
    WallClock clock_;
};

} // namespace switchboard::store
