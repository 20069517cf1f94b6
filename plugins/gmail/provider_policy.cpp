#include "plugins/gmail/provider_policy.hpp"

#include "plugins/common/google_policy.hpp"
#include "plugins/gmail/descriptor.hpp"

namespace switchboard::plugins::gmail {

sdk::ProviderPolicySpec provider_policy() {
    sdk::ProviderPolicySpec p = google_policy(provider_id);

    // 1,200,000 quota units per minute per project and 15,000 per minute per user;
    // messages.send costs 100 units, the most of the methods the plugin calls
    // (https://developers.google.com/gmail/api/reference/quota). Counted as sends: 12,000 and
    // 150 requests per minute. A bucket of capacity C refilled at R per second lets C + R x T
    // through in T seconds: 1200 + 180 x 60 = 12,000 and 30 + 2 x 60 = 150. The tenant's bucket
    // stands in for the user.
    p.provider_rate_limit = sdk::RateBucket{1200, 180};
    p.tenant_rate_limit = sdk::RateBucket{30, 2};
    return p;
}

} // namespace switchboard::plugins::gmail
