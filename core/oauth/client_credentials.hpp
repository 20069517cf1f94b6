// A provider's OAuth client credentials (the app registered at the provider), read from the
// environment variables the provider's config names. The config never holds them.
#pragma once

#include "core/common/error.hpp"
#include "core/config/config.hpp"
#include "core/config/environment.hpp"

#include <string>

namespace switchboard::oauth {

// Both values are secrets in the sense of the logs: the id is harmless, the secret is not;
// neither is ever logged.
struct ClientCredentials {
    std::string client_id;
    std::string client_secret;
};

// Reads `config.client_id_env` and `config.client_secret_env` from `environment`. An unset or
// empty variable is unavailable / `provider_not_configured`, and the message names the
// variable (never a value).
Result<ClientCredentials> read_client_credentials(const config::ProviderConfig& config,
                                                  const config::Environment& environment);

} // namespace switchboard::oauth
