// The caller of an authenticated route: the tenant and user come from the verified
// credential only, never from the path, the query or the body.
#pragma once

#include "core/auth/authenticator.hpp"
#include "host/server/request.hpp"
#include "host/server/response.hpp"
#include "host/server/router.hpp"

#include <functional>
#include <memory>

namespace switchboard::api {

using CallerHandler =
    std::function<server::Response(const server::Request&, const auth::Principal&)>;

// The gate of an authenticated route: verifies the request's Authorization header with
// `authenticator` on the header alone, before the server reads the body, so that an
// unauthenticated client is answered 401 (code from the authenticator,
// `WWW-Authenticate: Bearer`) without being able to make the host buffer anything. JWT
// verification and API-key comparison are CPU-only, as a gate must be.
server::Gate caller_gate(std::shared_ptr<const auth::Authenticator> authenticator);

// A handler that runs `handler` with the caller's Principal: the one the route's gate
// admitted, or, on a route registered without the gate, the one `authenticator` finds in the
// Authorization header now (401 when none).
server::Handler with_caller(std::shared_ptr<const auth::Authenticator> authenticator,
                            CallerHandler handler);

} // namespace switchboard::api
