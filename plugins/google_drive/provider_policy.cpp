#include "plugins/google_drive/provider_policy.hpp"

#include "plugins/google_drive/descriptor.hpp"

namespace switchboard::plugins::google_drive {

sdk::ProviderPolicySpec provider_policy() {
    sdk::ProviderPolicySpec p;
    p.provider_id = provider_id;
    // Google ships one OAuth client for all its APIs, so its providers share the credential
    // variables: GOOGLE_CLIENT_ID and GOOGLE_CLIENT_SECRET.
    p.credential_prefix = "GOOGLE";

    // 12,000 queries per 60 seconds per project, and as many per user
    // (https://developers.google.com/drive/api/guides/limits). A bucket of capacity C refilled
    // at R per second lets C + R x T through in T seconds: 1200 + 180 x 60 = 12,000.
    p.provider_rate_limit = sdk::RateBucket{1200, 180};
    p.tenant_rate_limit = sdk::RateBucket{1200, 180};

    // Google's API-key field: a caller's never reaches Google through the host's proxy.
    p.credential_headers = {"X-Goog-Api-Key"};
    return p;
}

} // namespace switchboard::plugins::google_drive
