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

// A handler that first authenticates the request's Authorization header with
// `authenticator` and answers 401 (code from the authenticator, `WWW-Authenticate: Bearer`)
// when that fails; otherwise runs `handler` with the caller's Principal.
server::Handler with_caller(std::shared_ptr<const auth::Authenticator> authenticator,
                            CallerHandler handler);

} // namespace switchboard::api
