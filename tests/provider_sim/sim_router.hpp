// Sends each request to the provider its first path segment (the real host) names, after
// the fault controls have had their say, and records it in the request log.
#pragma once

#include "tests/provider_sim/admin/admin_api.hpp"
#include "tests/provider_sim/google/google_api.hpp"
#include "tests/provider_sim/google/google_oauth.hpp"
#include "tests/provider_sim/hubspot/hubspot_api.hpp"
#include "tests/provider_sim/hubspot/hubspot_oauth.hpp"
#include "tests/provider_sim/sim_state.hpp"

namespace switchboard::sim {

struct SimHandlers {
    AdminApi& admin;
    GoogleOAuth& google_oauth;
    GoogleApi& google_api;
    HubSpotOAuth& hubspot_oauth;
    HubSpotApi& hubspot_api;
};

class SimRouter {
public:
    SimRouter(SimState& state, SimHandlers handlers) : state_(state), handlers_(handlers) {}
    // [thread-safe]
    Response route(const Request& request);

private:
    Response dispatch(const Request& request, RecordedRequest& record);
    // The provider and method of a request the faults answered instead of its handler.
    void identify(const Request& request, RecordedRequest& record) const;

    SimState& state_;
    SimHandlers handlers_;
};

} // namespace switchboard::sim
