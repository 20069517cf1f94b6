#include "core/connectors/notifying_connector_service.hpp"

namespace switchboard::connectors {

void NotifyingConnectorService::publish_activated(const store::ConnectorSummary& connector) {
    // A pending connection (awaiting its confirmation) changes nothing the assistant can do.
    if (connector.status != store::ConnectorStatus::active) return;
    events_.publish({ConnectorChange::Kind::activated, connector.tenant_id, connector.id,
                     connector.category});
}

CallbackOutcome NotifyingConnectorService::complete_authorization(const CallbackQuery& query) {
    CallbackOutcome outcome = inner_.complete_authorization(query);
    if (outcome.success && outcome.connector) publish_activated(*outcome.connector);
    return outcome;
}

Result<store::ConnectorSummary> NotifyingConnectorService::connect_with_access_token(
    const Principal& caller, const AccessTokenConnection& request) {
    auto connected = inner_.connect_with_access_token(caller, request);
    if (connected) publish_activated(*connected);
    return connected;
}

Result<store::ConnectorSummary> NotifyingConnectorService::confirm_connection(
    const Principal& caller, std::string_view completion) {
    auto confirmed = inner_.confirm_connection(caller, completion);
    if (confirmed) publish_activated(*confirmed);
    return confirmed;
}

Result<DisconnectOutcome> NotifyingConnectorService::disconnect(const Principal& caller,
                                                                std::string_view id,
                                                                const DisconnectOptions& options) {
    // Read first: once removed, the connector's category is gone with it.
    auto before = inner_.get(caller, id);
    auto removed = inner_.disconnect(caller, id, options);
    if (removed) {
        events_.publish({ConnectorChange::Kind::disconnected, caller.tenant_id, std::string(id),
                         before ? before->category : std::string()});
    }
    return removed;
}

} // namespace switchboard::connectors
