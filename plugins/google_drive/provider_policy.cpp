#include "plugins/google_drive/provider_policy.hpp"

#include "plugins/common/google_policy.hpp"
#include "plugins/google_drive/descriptor.hpp"

namespace switchboard::plugins::google_drive {

sdk::ProviderPolicySpec provider_policy() {
    sdk::ProviderPolicySpec p = google_policy(provider_id);

    // 12,000 queries per 60 seconds per project, and as many per user
    // (https://developers.google.com/drive/api/guides/limits). A bucket of capacity C refilled
    // at R per second lets C + R x T through in T seconds: 1200 + 180 x 60 = 12,000.
    p.provider_rate_limit = sdk::RateBucket{1200, 180};
    p.tenant_rate_limit = sdk::RateBucket{1200, 180};
    return p;
}

} // namespace switchboard::plugins::google_drive
