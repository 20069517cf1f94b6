// The OpenAPI description of the MCP endpoint, /mcp (served by host/mcp, which registers the
// routes itself): documented here so that the one document lists every edge of the host.
#pragma once

#include "host/api/api_route.hpp"

#include <vector>

namespace switchboard::api {

// POST, GET and DELETE /mcp, without handlers.
std::vector<ApiRoute> mcp_route_docs();

} // namespace switchboard::api
