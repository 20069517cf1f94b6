// The part of the provider policy (switchboard.provider-policy/1) every Google provider
// shares; each adds its own API's published limits.
#pragma once

#include "switchboard/ext/provider_policy.hpp"

#include <string>
#include <utility>

namespace switchboard::plugins {

inline sdk::ProviderPolicySpec google_policy(std::string provider_id) {
    sdk::ProviderPolicySpec policy;
    policy.provider_id = std::move(provider_id);
    // Google ships one OAuth client for all its APIs, so its providers share the credential
    // variables: GOOGLE_CLIENT_ID and GOOGLE_CLIENT_SECRET.
    policy.credential_prefix = "GOOGLE";
    // Google's API-key field: a caller's never reaches Google through the host's proxy.
    policy.credential_headers = {"X-Goog-Api-Key"};
    return policy;
}

} // namespace switchboard::plugins
