// The operator's routes: GET /readyz (the database and the state store answer), and the
// documentation of the two the server registers itself, GET /healthz and GET /metrics.
#pragma once

#include "host/api/api_context.hpp"
#include "host/api/api_route.hpp"

#include <vector>

namespace switchboard::api {

std::vector<ApiRoute> operations_routes(const ApiContext& context);

} // namespace switchboard::api
