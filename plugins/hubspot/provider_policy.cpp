#include "plugins/hubspot/provider_policy.hpp"

#include "plugins/hubspot/descriptor.hpp"

namespace switchboard::plugins::hubspot {

sdk::ProviderPolicySpec provider_policy() {
    sdk::ProviderPolicySpec p;
    p.provider_id = provider_id;

    // HubSpot's 429s say which limit ran out (https://developers.hubspot.com/docs/api/usage-details):
    // the daily limit resets at midnight in the account's time zone, too late to wait for; the
    // secondly limit within a second; the rolling window within one interval at most (the
    // oldest request leaves it).
    p.rate_limit_headers = {
        {.remaining_header = "X-HubSpot-RateLimit-Daily-Remaining", .give_up = true},
        {.remaining_header = "X-HubSpot-RateLimit-Secondly-Remaining", .default_wait_ms = 1000},
        {.remaining_header = "X-HubSpot-RateLimit-Remaining",
         .wait_header = "X-HubSpot-RateLimit-Interval-Milliseconds",
         .wait_header_unit_ms = 1},
    };

    // HubSpot's OAuth v1 token endpoint answers {"status": "BAD_REFRESH_TOKEN", "message": ...}
    // rather than RFC 6749's {"error": ...}
    // (https://developers.hubspot.com/docs/api/oauth/tokens).
    p.oauth_error_member = "status";
    p.oauth_error_description_member = "message";
    p.oauth_error_codes = {
        {"BAD_REFRESH_TOKEN", SB_OAUTH_ERROR_INVALID_GRANT},
        {"BAD_AUTH_CODE", SB_OAUTH_ERROR_INVALID_GRANT},
        {"EXPIRED_AUTH_CODE", SB_OAUTH_ERROR_INVALID_GRANT},
        {"BAD_CLIENT_ID", SB_OAUTH_ERROR_INVALID_CLIENT},
        {"BAD_CLIENT_SECRET", SB_OAUTH_ERROR_INVALID_CLIENT},
    };

    // Public apps using OAuth: 100 requests per 10 seconds per installing account, no daily
    // limit (https://developers.hubspot.com/changelog/heads-up-new-and-improved-hubspot-api-limits,
    // https://developers.hubspot.com/docs/api/usage-details). A bucket of capacity C refilled at
    // R per second lets C + R x T through in T seconds: 50 + 5 x 10 = 100 per 10 s. The tenant's
    // bucket stands in for the installing account. The app as a whole has no limit of its own.
    p.tenant_rate_limit = sdk::RateBucket{50, 5};

    // HubSpot's API-key field: a caller's never reaches HubSpot through the host's proxy.
    p.credential_headers = {"X-HubSpot-API-Key"};
    return p;
}

} // namespace switchboard::plugins::hubspot
