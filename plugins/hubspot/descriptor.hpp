// The HubSpot provider's descriptor: what the host needs to run its OAuth flow and
// route its actions.
#pragma once

#include "switchboard/descriptor.hpp"

namespace switchboard::plugins::hubspot {

inline constexpr const char* provider_id = "hubspot";

sdk::ProviderSpec descriptor();

} // namespace switchboard::plugins::hubspot
