// The HubSpot provider's policy (the switchboard.provider-policy/1 extension): what the host
// must know of HubSpot beyond the descriptor: its rate-limit headers, its token endpoint's v1 error
// codes and its published limits.
#pragma once

#include "switchboard/ext/provider_policy.hpp"

namespace switchboard::plugins::hubspot {

sdk::ProviderPolicySpec provider_policy();

} // namespace switchboard::plugins::hubspot
