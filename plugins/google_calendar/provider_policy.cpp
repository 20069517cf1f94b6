#include "plugins/google_calendar/provider_policy.hpp"

#include "plugins/common/google_policy.hpp"
#include "plugins/google_calendar/descriptor.hpp"

namespace switchboard::plugins::google_calendar {

sdk::ProviderPolicySpec provider_policy() {
    sdk::ProviderPolicySpec p = google_policy(provider_id);

    // 10,000 requests per minute per project, 600 per minute per user per project
    // (https://developers.google.com/calendar/api/guides/quota). A bucket of capacity C
    // refilled at R per second lets C + R x T through in T seconds: 1000 + 150 x 60 = 10,000
    // and 120 + 8 x 60 = 600 per minute. The tenant's bucket stands in for the user.
    p.provider_rate_limit = sdk::RateBucket{1000, 150};
    p.tenant_rate_limit = sdk::RateBucket{120, 8};
    return p;
}

} // namespace switchboard::plugins::google_calendar
