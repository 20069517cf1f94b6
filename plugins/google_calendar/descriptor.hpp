// The Google Calendar provider's descriptor: what the host needs to run its OAuth flow and
// route its actions.
#pragma once

#include "switchboard/descriptor.hpp"

namespace switchboard::plugins::google_calendar {

inline constexpr const char* provider_id = "google_calendar";

sdk::ProviderSpec descriptor();

} // namespace switchboard::plugins::google_calendar
