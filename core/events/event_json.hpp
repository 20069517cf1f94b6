// The JSON of a connector event: the body of each webhook and each item of the events feed.
//
//   {"id": "<uuid>", "type": "connector.refreshed", "sequence": 42,
//    "occurred_at": "2025-01-01T12:00:00.123Z", "tenant_id": "acme",
//    "data": {"connector_id": "...", "provider": "hubspot", "type": "crm", "user_id": "u1",
//             "status": "active", "previous_status": "active", "reason": null,
//             "error_code": null}}
//
// `sequence` numbers the tenant's events in the order their changes committed; a connector's
// events are delivered to each webhook in that order. Never a token or a secret: `reason` is
// the connector's last_error.
#pragma once

#include "core/store/connector_event.hpp"

#include <nlohmann/json.hpp>

#include <string>

namespace switchboard::events {

nlohmann::ordered_json event_json(const store::ConnectorEvent& event);

// RFC 3339 in UTC with milliseconds: "2025-01-01T12:00:00.123Z".
std::string rfc3339_ms(std::chrono::sys_time<std::chrono::milliseconds> time);

// The JSON Schema of event_json() (OpenAPI components.schemas.ConnectorEvent).
nlohmann::json event_schema();

} // namespace switchboard::events
