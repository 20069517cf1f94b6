#include "core/oauth/client_credentials.hpp"

namespace switchboard::oauth {

Result<ClientCredentials> read_client_credentials(const config::ProviderConfig& config,
                                                  const config::Environment& environment) {
    ClientCredentials credentials;
    for (auto [variable, out] : {std::pair{&config.client_id_env, &credentials.client_id},
                                 std::pair{&config.client_secret_env, &credentials.client_secret}}) {
        if (variable->empty()) {
            return Error(ErrorKind::unavailable, "provider_not_configured",
                         "the provider's config names no client credential variable");
        }
        auto read = config::read_secret(environment, *variable);
        if (!read) {
            // A misplaced secret file leaves the provider unconfigured, with the reason.
            return Error(ErrorKind::unavailable, "provider_not_configured",
                         read.error().message);
        }
        auto& value = *read;
        if (!value || value->empty()) {
            return Error(ErrorKind::unavailable, "provider_not_configured",
                         "environment variable " + *variable + " (or " + *variable +
                             "_FILE) is not set");
        }
        *out = std::move(*value);
    }
    return credentials;
}

} // namespace switchboard::oauth
