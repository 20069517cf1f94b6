// AccessTokenVerifier: checks an access token a user hands over instead of going through OAuth
// (sb_access_token_desc, e.g. HubSpot's private-app token) before the host stores it: a GET on
// the descriptor's identity URL with the token as a bearer token, through the shared HttpClient
// and the provider's outbound rate limit like every other call to the provider, then the
// account read from the answer as the OAuth identity is.
#pragma once

#include "core/common/error.hpp"
#include "core/connectors/provider_http_session.hpp"
#include "core/http/http_client.hpp"
#include "core/oauth/oauth_client.hpp"
#include "core/plugin/provider_descriptor.hpp"

#include <memory>
#include <string_view>

namespace switchboard::connectors {

// The longest access token the host accepts (HubSpot's are about 45 characters; JWT-shaped
// provider tokens stay well below this).
inline constexpr std::size_t max_access_token_length = 4096;

// Errors: invalid_input / `access_token_unsupported` (field "provider": the provider takes
// OAuth only); invalid_input / `invalid_access_token` (field "access_token": empty, too long,
// or not printable ASCII without spaces, so it can never be anything but one header value);
// invalid_input / `access_token_rejected` (field "access_token": the provider answered 401 or
// 403); upstream_failed / `provider_unavailable` (unreachable, timed out, 429 or 5xx after the
// client's retries); upstream_failed / `provider_error` (another status, an answer that is not
// JSON, or no account at the descriptor's pointers); the rate limiter's rate_limited. No
// message holds the token. [thread-safe]
class AccessTokenVerifier {
public:
    AccessTokenVerifier(std::shared_ptr<http::HttpClient> http, ProviderHttpOptions options);

    Result<oauth::AccountIdentity> verify(const plugin::ProviderDescriptor& provider,
                                          std::string_view tenant_id,
                                          std::string_view access_token) const;

private:
    std::shared_ptr<http::HttpClient> http_;
    ProviderHttpOptions options_;
};

// The shape check alone (invalid_input / `invalid_access_token`), before anything is sent.
Result<void> check_access_token_shape(std::string_view access_token);

} // namespace switchboard::connectors
