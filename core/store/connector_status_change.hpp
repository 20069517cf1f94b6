// The one place every change of a connector's status passes through: ConnectorRepository
// (and PendingConnections, which confirms pending connectors) calls record_status_change()
// inside the transaction that writes the new status, and nothing else writes the status column
// of an existing connector. Today it tells operators (one log
// line per change); the event outbox (ARCHITECTURE.md, "Events": every state change writes an
// event in the same transaction) belongs here too, so that no change is missed and none is
// announced without having happened.
#pragma once

#include "core/store/connector_account.hpp"

#include <string_view>

namespace soci {
class session;
}

namespace switchboard::store {

struct ConnectorStatusChange {
    std::string_view tenant_id;
    std::string_view connector_id;
    ConnectorStatus from = ConnectorStatus::active;
    ConnectorStatus to = ConnectorStatus::active;
    std::string_view reason; // the last_error stored with the change; never a secret
};

// Called with the session of the open write transaction that makes the change, after the
// change is written and before it commits.
void record_status_change(soci::session& sql, const ConnectorStatusChange& change);

} // namespace switchboard::store
