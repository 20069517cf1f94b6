// The shipped providers' published limits, turned into token buckets. A bucket of capacity C
// refilled at R per second lets at most C + R x T requests through in any window of T
// seconds, so each pair below is chosen to keep C + R x T within the provider's limit over
// the provider's own window (whatever the traffic's shape), with R x T taking most of it.
// Limits counted in "quota units" (Gmail) are met by assuming every request is the most
// expensive method the plugin calls. Where the limit is per user or per installing account,
// the tenant's bucket stands in for it (a tenant is one account or several, so it is the
// stricter of the two).
#include "core/config/config.hpp"

namespace switchboard {

std::map<std::string, ProviderRateLimits> default_provider_rate_limits() {
    std::map<std::string, ProviderRateLimits> limits;

    // HubSpot, public apps using OAuth: 100 requests per 10 seconds per installing account,
    // no daily limit (https://developers.hubspot.com/changelog/heads-up-new-and-improved-hubspot-api-limits,
    // https://developers.hubspot.com/docs/api/usage-details). 50 + 5 x 10 = 100 per 10 s.
    // The app as a whole has no burst limit of its own.
    limits["hubspot"] = {std::nullopt, RateBucketConfig{50, 5}};

    // Google Calendar: 10,000 requests per minute per project, 600 per minute per user per
    // project (https://developers.google.com/calendar/api/guides/quota).
    // 1000 + 150 x 60 = 10,000 and 120 + 8 x 60 = 600 per minute.
    limits["google_calendar"] = {RateBucketConfig{1000, 150}, RateBucketConfig{120, 8}};

    // Gmail: 1,200,000 quota units per minute per project and 15,000 per minute per user;
    // messages.send costs 100 units, the most of the methods the plugin calls
    // (https://developers.google.com/gmail/api/reference/quota). As sends: 12,000 and 150
    // requests per minute: 1200 + 180 x 60 = 12,000 and 30 + 2 x 60 = 150.
    limits["gmail"] = {RateBucketConfig{1200, 180}, RateBucketConfig{30, 2}};

    // Google Drive: 12,000 queries per 60 seconds per project, and as many per user
    // (https://developers.google.com/drive/api/guides/limits). 1200 + 180 x 60 = 12,000.
    limits["google_drive"] = {RateBucketConfig{1200, 180}, RateBucketConfig{1200, 180}};

    return limits;
}

} // namespace switchboard
