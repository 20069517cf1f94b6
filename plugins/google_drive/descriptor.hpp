// The Google Drive provider's descriptor: what the host needs to run its OAuth flow and
// route its actions.
#pragma once

#include "switchboard/descriptor.hpp"

namespace switchboard::plugins::google_drive {

inline constexpr const char* provider_id = "google_drive";

sdk::ProviderSpec descriptor();

} // namespace switchboard::plugins::google_drive
