// The Gmail provider's descriptor: what the host needs to run its OAuth flow and
// route its actions.
#pragma once

#include "switchboard/descriptor.hpp"

namespace switchboard::plugins::gmail {

inline constexpr const char* provider_id = "gmail";

sdk::ProviderSpec descriptor();

} // namespace switchboard::plugins::gmail
