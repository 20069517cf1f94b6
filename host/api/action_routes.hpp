// Running actions: POST /api/v1/connectors/{id}/actions/{action} (one connector, the body is
// the action's params) and POST /api/v1/actions/{category}.{action} (the assistant's tools:
// the tenant's active connector of the category, or the one named).
//
// The tools route takes an envelope, so the params stay exactly the category contract's:
//   {"connector_id"?: "...", "connector_name"?: "...", "params": {...}}
// `params` defaults to {}; at most one of connector_id and connector_name. An optional
// `Idempotency-Key` header (1 to 255 visible ASCII characters) makes the call at most once
// per key within 24 hours: a repeat answers the first result with `Idempotent-Replayed: true`.
// Both routes answer {"result": ...}; the tools route adds connector_id, provider and
// replayed. Params are validated against the contract before the plugin runs, and the result
// after (the service does both); a failing params field is a JSON Pointer into the body
// ("/params/start/date_time" for the tools route).
#pragma once

#include "host/api/api_context.hpp"
#include "host/api/api_route.hpp"

#include <vector>

namespace switchboard::api {

inline constexpr std::string_view tools_base_path = "/api/v1/actions";
inline constexpr std::string_view replayed_header = "Idempotent-Replayed";

std::vector<ApiRoute> action_routes(const ApiContext& context);

} // namespace switchboard::api
