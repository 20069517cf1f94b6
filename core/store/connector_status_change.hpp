// The one place every change of a connector's state passes through: ConnectorRepository (and
// PendingConnections, which confirms pending connectors) calls record_status_change() inside
// the transaction that writes the change, and nothing else writes the status column of an
// existing connector. It tells operators (one log line per change) and writes the change's
// event to the outbox (event_outbox.hpp) in that same transaction (ARCHITECTURE.md,
// "Events"), so that no change is missed and none is announced without having happened.
//
// Besides status changes, two changes that keep the status go through here too, because they
// are events: a refresh (new tokens) and a refresh that failed without changing the status.
#pragma once

#include "core/common/error.hpp"
#include "core/store/connector_account.hpp"
#include "core/store/connector_event.hpp"

#include <optional>
#include <string_view>

namespace soci {
class session;
}

namespace switchboard::store {

class EventOutbox;

struct ConnectorStatusChange {
    std::string_view tenant_id;
    std::string_view connector_id;
    std::optional<ConnectorStatus> from; // nullopt: the connector is new
    ConnectorStatus to = ConnectorStatus::active; // `disconnected` for a removal
    std::string_view reason; // the last_error stored with the change; never a secret
    // What the change means; nullopt derives it from `to`: active -> connected, revoked ->
    // revoked, expired -> expired, error -> refresh_failed, disconnected -> disconnected.
    std::optional<ConnectorEventType> event;
    std::string_view error_code; // the stable code of the failure behind it, if any
};

// The event a change announces (see ConnectorStatusChange::event); nullopt for a change that
// announces nothing (to `pending`: a connection is not an account until confirmed).
std::optional<ConnectorEventType> event_of(const ConnectorStatusChange& change) noexcept;

// Called with the session of the open write transaction that makes the change, after the
// change is written (for a removal: after the row is locked and before it is deleted, since
// the event is read from it) and before it commits. Errors (the database's, or no random
// source for the event's id) must roll the transaction back: the caller returns them.
Result<void> record_status_change(soci::session& sql, const EventOutbox& outbox,
                                  const ConnectorStatusChange& change);

} // namespace switchboard::store
