// GET /api/v1/events: the caller's tenant's connector events, for products that poll instead
// of (or besides) receiving the webhooks. Cursor-paginated: `after` is the `next_cursor` of
// the previous page (absent: from the oldest event kept), `limit` 1 to 500 (default 100).
// The same event JSON as the webhooks' bodies (core/events/event_json.hpp).
#pragma once

#include "host/api/api_context.hpp"
#include "host/api/api_route.hpp"

#include <nlohmann/json.hpp>

#include <vector>

namespace switchboard::api {

inline constexpr std::string_view events_path = "/api/v1/events";

std::vector<ApiRoute> events_routes(const ApiContext& context);

// components.schemas.EventPage (the answer of GET /api/v1/events).
nlohmann::json event_page_schema();

// The OpenAPI 3.1 `webhooks` object: the POST the host makes to each configured endpoint.
nlohmann::json webhooks_document();

} // namespace switchboard::api
