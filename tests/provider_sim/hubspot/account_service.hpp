// What HubSpot tells about an account beside its CRM records: the account's details
// (GET /account-info/v3/details) and its deal
// pipelines (GET /crm/v3/pipelines/deals: every account has the default "Sales Pipeline",
// with HubSpot's default stages in their order).
#pragma once

#include "tests/provider_sim/hubspot/hubspot_api.hpp"

namespace switchboard::sim {

class AccountService {
public:
    explicit AccountService(SimState& state) : created_(state.clock.now()) {}
    void register_with(HubSpotApi& api);

private:
    Response details(const HubSpotCall& call) const;
    Response pipelines(const HubSpotCall& call) const;

    TimePoint created_; // when the accounts' default pipeline was made
};

} // namespace switchboard::sim
