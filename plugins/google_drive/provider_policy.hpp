// The Google Drive provider's policy (the switchboard.provider-policy/1 extension): what the host
// must know of Google Drive beyond the descriptor: the credentials it shares with Google's other
// APIs, and its published limits.
#pragma once

#include "switchboard/ext/provider_policy.hpp"

namespace switchboard::plugins::google_drive {

sdk::ProviderPolicySpec provider_policy();

} // namespace switchboard::plugins::google_drive
