// What the host knows of a provider beyond its descriptor (the plugin's provider policy,
// switchboard/ext/provider_policy.h, read and checked at load): its rate-limit headers, the
// dialect of its token endpoint's errors, its credential variables' prefix and its published
// outbound limits. The HTTP client, the OAuth client, the credentials and the rate limiter
// consume it; a provider without a policy gets the generic rules, so no provider's knowledge
// lives in the host.
#pragma once

#include "core/config/config.hpp"
#include "core/http/retry_policy.hpp"

#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace switchboard::plugin {

// What a provider's own OAuth error code means (RFC 6749's codes are always known).
enum class OAuthErrorMeaning { invalid_grant, invalid_client };

struct OAuthErrorCode {
    std::string code; // as the provider writes it, e.g. "BAD_REFRESH_TOKEN"
    OAuthErrorMeaning meaning = OAuthErrorMeaning::invalid_grant;

    friend bool operator==(const OAuthErrorCode&, const OAuthErrorCode&) = default;
};

// Where a token endpoint that does not follow RFC 6749 §5.2 puts its error, and what its
// codes mean. Empty: RFC 6749 alone ("error", "error_description").
struct OAuthErrorDialect {
    std::string code_member;        // e.g. "status"
    std::string description_member; // e.g. "message"
    std::vector<OAuthErrorCode> codes;

    friend bool operator==(const OAuthErrorDialect&, const OAuthErrorDialect&) = default;
};

struct ProviderPolicy {
    // <PREFIX>_CLIENT_ID / <PREFIX>_CLIENT_SECRET are the default credential variables. Never
    // empty once read: default_credential_prefix(id) when the plugin names none.
    std::string credential_prefix;
    std::vector<http::RateLimitHeaderRule> rate_limit_headers; // names in lower case
    OAuthErrorDialect oauth_errors;
    // The provider's published limits: the defaults of rate_limits.providers.<id>.
    config::ProviderRateLimits default_rate_limits;
    // Fields carrying the provider's own credentials (lower case), e.g. "x-goog-api-key": the
    // credentialed proxy never forwards them from a caller.
    std::vector<std::string> credential_headers;

    friend bool operator==(const ProviderPolicy& a, const ProviderPolicy& b) {
        const auto same_bucket = [](const std::optional<config::RateBucketConfig>& x,
                                    const std::optional<config::RateBucketConfig>& y) {
            return x.has_value() == y.has_value() &&
                   (!x || (x->capacity == y->capacity &&
                           x->refill_per_second == y->refill_per_second));
        };
        return a.credential_prefix == b.credential_prefix &&
               a.rate_limit_headers == b.rate_limit_headers && a.oauth_errors == b.oauth_errors &&
               a.credential_headers == b.credential_headers &&
               same_bucket(a.default_rate_limits.provider, b.default_rate_limits.provider) &&
               same_bucket(a.default_rate_limits.tenant, b.default_rate_limits.tenant);
    }
};

// The policy of a provider whose plugin has none: the generic rules only.
ProviderPolicy generic_provider_policy(std::string_view provider_id);

// The policy's rate-limit header rules as http::RequestOptions carries them (null when none).
std::shared_ptr<const std::vector<http::RateLimitHeaderRule>>
rate_limit_rules(const ProviderPolicy& policy);

// `config` with the credential variables it leaves empty set from the policy's prefix:
// <PREFIX>_CLIENT_ID and <PREFIX>_CLIENT_SECRET. What the operator named stays.
config::ProviderConfig with_credential_variables(config::ProviderConfig config,
                                                 const ProviderPolicy& policy);

} // namespace switchboard::plugin
