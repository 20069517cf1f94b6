// /api/v1/connectors: the providers, the tenant's connectors, the OAuth flow (authorize and
// callback), disconnect and refresh. Each route maps the service's failures once, through
// server::error_response, to its status and stable code.
#pragma once

#include "host/api/api_context.hpp"
#include "host/api/api_route.hpp"

#include <vector>

namespace switchboard::api {

inline constexpr std::string_view connectors_base_path = "/api/v1/connectors";

// The path, below the front end's URL, where the callback sends the browser when the
// service's outcome is unusable (see callback_location()).
inline constexpr std::string_view integrations_page = "/settings/integrations";

std::vector<ApiRoute> connector_routes(const ApiContext& context);

// Where GET /callback sends the browser: `outcome.redirect_url` when it lies under
// `frontend_url` (the same origin and path prefix), otherwise — a defect in the service, never
// expected — `<frontend_url>/settings/integrations?success=false&error=internal_error`, so
// that the callback can never become an open redirect.
std::string callback_location(const connectors::CallbackOutcome& outcome,
                              std::string_view frontend_url);

} // namespace switchboard::api
