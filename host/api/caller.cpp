#include "host/api/caller.hpp"

#include "host/server/error_response.hpp"

namespace switchboard::api {

server::Handler with_caller(std::shared_ptr<const auth::Authenticator> authenticator,
                            CallerHandler handler) {
    return [authenticator = std::move(authenticator),
            handler = std::move(handler)](const server::Request& request) {
        auto principal = authenticator->authenticate(request.header("Authorization"));
        if (!principal) {
            return server::error_response(principal.error(), request.request_id);
        }
        return handler(request, *principal);
    };
}

} // namespace switchboard::api
