#include "host/api/caller.hpp"

#include "host/server/error_response.hpp"

namespace switchboard::api {

server::Gate caller_gate(std::shared_ptr<const auth::Authenticator> authenticator) {
    return [authenticator = std::move(authenticator)](
               const server::Request& request) -> Result<server::Caller> {
        auto principal = authenticator->authenticate(request.header("Authorization"));
        if (!principal) {
            return principal.error();
        }
        return server::Caller{std::move(principal->tenant_id), std::move(principal->user_id)};
    };
}

server::Handler with_caller(std::shared_ptr<const auth::Authenticator> authenticator,
                            CallerHandler handler) {
    return [authenticator = std::move(authenticator),
            handler = std::move(handler)](const server::Request& request) {
        if (request.caller) {
            return handler(request, auth::Principal{request.caller->tenant, request.caller->user});
        }
        auto principal = authenticator->authenticate(request.header("Authorization"));
        if (!principal) {
            return server::error_response(principal.error(), request.request_id);
        }
        server::Response response = handler(request, *principal);
        if (response.tenant.empty()) {
            response.tenant = principal->tenant_id;
        }
        return response;
    };
}

} // namespace switchboard::api
