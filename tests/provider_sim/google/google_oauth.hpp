// Google's OAuth 2.0 web-server flow (providers/google_oauth.md §1-4):
//   GET  /accounts.google.com/o/oauth2/v2/auth          authorize (consent page or auto-approve)
//   POST /accounts.google.com/o/oauth2/v2/auth/consent  the consent page's form (simulator's own)
//   POST /oauth2.googleapis.com/token                   authorization_code (+PKCE) and refresh_token
//   POST /oauth2.googleapis.com/revoke                  revokes a token and its grant
//   GET  /openidconnect.googleapis.com/v1/userinfo      the account's sub and e-mail
// No machine-readable description covers these endpoints; their requests are checked
// against RFC 6749/7636 and Google's documented parameters, and failures are logged as
// validation errors like the others.
#pragma once

#include "tests/provider_sim/admin/request_log.hpp"
#include "tests/provider_sim/server/request.hpp"
#include "tests/provider_sim/sim_state.hpp"

namespace switchboard::sim {

class GoogleOAuth {
public:
    explicit GoogleOAuth(SimState& state) : state_(state) {}

    // [thread-safe] Handles a request whose first segment is one of Google's OAuth hosts.
    Response handle(const Request& request, RecordedRequest& record);

private:
    Response authorize(const Request& request, RecordedRequest& record);
    Response consent(const Request& request, RecordedRequest& record);
    Response token(const Request& request, RecordedRequest& record);
    Response revoke(const Request& request, RecordedRequest& record);
    Response userinfo(const Request& request, RecordedRequest& record);

    // Approves `pending` as `user`: a code, and the redirect that carries it.
    Response approve(const PendingAuthorization& pending, const std::string& user);

    SimState& state_;
};

} // namespace switchboard::sim
