// The Gmail provider's policy (the switchboard.provider-policy/1 extension): what the host
// must know of Gmail beyond the descriptor: the credentials it shares with Google's other APIs, and its
// published limits.
#pragma once

#include "switchboard/ext/provider_policy.hpp"

namespace switchboard::plugins::gmail {

sdk::ProviderPolicySpec provider_policy();

} // namespace switchboard::plugins::gmail
