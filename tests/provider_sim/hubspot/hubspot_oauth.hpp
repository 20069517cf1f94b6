// HubSpot's OAuth v1 (providers/hubspot_oauth_and_crm.md "OAuth"), on the operations of the
// HubSpot description:
//   GET    /app.hubspot.com/oauth/authorize              install page (consent or auto-approve)
//   POST   /app.hubspot.com/oauth/authorize/consent      the consent form (simulator's own)
//   POST   /api.hubapi.com/oauth/v1/token                authorization_code and refresh_token
//   GET    /api.hubapi.com/oauth/v1/access-tokens/{t}    access-token metadata (hub id, user)
//   GET    /api.hubapi.com/oauth/v1/refresh-tokens/{t}   refresh-token metadata
//   DELETE /api.hubapi.com/oauth/v1/refresh-tokens/{t}   deletes the refresh token only
// Errors use HubSpot's v1 shape {"status":"BAD_AUTH_CODE","message",...}.
#pragma once

#include "tests/provider_sim/hubspot/hubspot_api.hpp"

namespace switchboard::sim {

class HubSpotOAuth {
public:
    explicit HubSpotOAuth(SimState& state) : state_(state) {}
    void register_with(HubSpotApi& api);

    // [thread-safe] The consent form's POST.
    Response consent(const Request& request, RecordedRequest& record);

private:
    Response authorize(const HubSpotCall& call);
    Response token(const HubSpotCall& call);
    Response access_token_info(const HubSpotCall& call);
    Response refresh_token_info(const HubSpotCall& call);
    Response refresh_token_delete(const HubSpotCall& call);
    Response approve(const PendingAuthorization& pending, const std::string& user);

    SimState& state_;
};

} // namespace switchboard::sim
