// The credentialed proxy: /api/v1/connectors/{id}/proxy/{path...} with GET, HEAD, POST, PUT,
// PATCH and DELETE, for what no action covers. The request goes to the connector's provider
// at <API base>/{path}?<query> with the connector's credentials added by the host; the answer
// comes back as the provider gave it (status, headers less the hop-by-hop and credential
// ones, body). Both bodies stream: the route reads the caller's body only after the caller
// is authenticated (its gate) and up to proxy.max_request_bytes, and sends the provider's
// body on as it arrives (Content-Length when the provider gave one, chunked otherwise). See
// core/connectors/proxy_service.hpp for the errors.
#pragma once

#include "host/api/api_context.hpp"
#include "host/api/api_route.hpp"

#include <vector>

namespace switchboard::api {

// The proxy's routes; none when the context has no proxy.
std::vector<ApiRoute> proxy_routes(const ApiContext& context);

} // namespace switchboard::api
