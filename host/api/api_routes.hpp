// The whole REST API: every route with its OpenAPI description, registered on a server's
// router, and the OpenAPI 3.1 document generated from that same table and served at
// GET /api/v1/openapi.json.
#pragma once

#include "host/api/api_context.hpp"
#include "host/api/api_route.hpp"
#include "host/api/openapi_document.hpp"
#include "host/server/router.hpp"

#include <nlohmann/json.hpp>

#include <vector>

namespace switchboard::api {

inline constexpr std::string_view openapi_path = "/api/v1/openapi.json";

struct ApiTable {
    std::vector<ApiRoute> routes; // including /api/v1/openapi.json
    nlohmann::json openapi;       // the document they generate
};

// Every route: operations (/healthz, /readyz, /metrics), connectors, actions, events, the
// proxy (when the context has one), and the document itself.
ApiTable api_table(const ApiContext& context, const OpenApiInfo& info);

// Registers every route of api_table() that has a handler (the server registers /healthz and
// /metrics itself), authenticated ones behind caller_gate(), and returns the table. Throws
// std::invalid_argument, from the router, on a route registered twice or a large body on a
// route without authentication (start-up defects).
ApiTable add_api_routes(server::Router& router, const ApiContext& context,
                        const OpenApiInfo& info);

} // namespace switchboard::api
