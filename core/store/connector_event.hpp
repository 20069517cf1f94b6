// The events a connector's life produces (ARCHITECTURE.md, "Events"), as the outbox stores
// them and the events feed and the webhooks tell them.
#pragma once

#include "core/store/connector_account.hpp"

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace switchboard::store {

enum class ConnectorEventType {
    connected,      // active after a confirmed connection, a callback in immediate mode, or a
                    // reconnect of an account the tenant had
    refreshed,      // new tokens from a refresh (the status is active afterwards)
    refresh_failed, // a refresh failed and the connector stays as it was (the provider was
                    // down or erring), or is now `error` (the provider refused the host's
                    // client credentials)
    revoked,        // the provider refused the refresh token (invalid_grant)
    expired,        // the access token expired and there is no refresh token
    disconnected,   // removed (DELETE /api/v1/connectors/{id})
};

// "connector.connected", ...
std::string_view to_string(ConnectorEventType type) noexcept;
std::optional<ConnectorEventType> parse_connector_event_type(std::string_view text) noexcept;

// One event as the outbox holds it. Never a secret: `reason` is the connector's last_error.
struct ConnectorEvent {
    std::int64_t position = 0; // the outbox row (global order of writing)
    std::string id;            // public id, a random UUID
    std::string tenant_id;
    std::int64_t sequence = 0; // 1, 2, ... per tenant, in commit order
    ConnectorEventType type = ConnectorEventType::connected;
    std::string connector_id;
    std::string provider;
    std::string category;
    std::string user_id;
    ConnectorStatus status = ConnectorStatus::active;
    std::optional<ConnectorStatus> previous_status; // none for a new connector
    std::string reason;                             // empty: none
    std::string error_code;                         // empty: none
    std::chrono::sys_time<std::chrono::milliseconds> occurred_at{};
};

} // namespace switchboard::store
