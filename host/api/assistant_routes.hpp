// The seed's assistant tools on the REST API: POST /api/v1/assistant/{tool}, with tool one of
// book_meeting_via_connector, send_email_via_connector, create_crm_contact. The body is the
// tool's arguments (assistant.schema.json); the answer is the tool's, {"success": true, ...}
// or {"success": false, "error": "No calendar connected", "code": "no_active_connector"} —
// both 200, as the seed answers its assistant. Arguments that do not match the schema are
// 400 invalid_params with a JSON Pointer into the body; an optional Idempotency-Key works as
// on the actions route.
#pragma once

#include "host/api/api_context.hpp"
#include "host/api/api_route.hpp"

#include <vector>

namespace switchboard::api {

inline constexpr std::string_view assistant_base_path = "/api/v1/assistant";

std::vector<ApiRoute> assistant_routes(const ApiContext& context);

} // namespace switchboard::api
