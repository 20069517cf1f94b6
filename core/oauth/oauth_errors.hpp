// How the OAuth client reports what providers answer, as stable Error codes:
//
//   invalid_grant   (conflict)        the code, verifier or refresh token is invalid, expired,
//                                     revoked or not ours: RFC 6749 `invalid_grant`, or a code
//                                     the provider's policy says means that (e.g. HubSpot's
//                                     BAD_REFRESH_TOKEN)
//   invalid_client  (upstream_failed) the provider refused our client credentials: RFC 6749
//                                     `invalid_client` (400 or 401), or a code the provider's
//                                     policy says means that
//   provider_error  (upstream_failed) any other refusal or a malformed answer
//   provider_unavailable (unavailable) the provider could not be reached, timed out, or
//                                     answered 429/5xx (retry_after_seconds when it said)
//
// Messages name the provider, the HTTP status and the provider's error code, and quote its
// description only after removing every secret the request carried and anything outside
// printable ASCII.
#pragma once

#include "core/common/error.hpp"
#include "core/http/http_message.hpp"
#include "core/plugin/provider_policy.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace switchboard::oauth {

inline constexpr std::string_view invalid_grant = "invalid_grant";
inline constexpr std::string_view invalid_client = "invalid_client";
inline constexpr std::string_view provider_error = "provider_error";
inline constexpr std::string_view provider_unavailable = "provider_unavailable";

// Text from a provider made fit for a message: printable ASCII only, each of `secrets`
// (those of at least 4 characters) replaced by "***", at most 200 characters.
std::string redact_secrets(std::string_view text, const std::vector<std::string_view>& secrets);

// Classifies a token endpoint's answer that is not a success: RFC 6749 §5.2 bodies
// ({"error", "error_description"}), the provider's own shape where its policy's `dialect`
// names one (e.g. {"status", "message"}) with its own codes, and bare statuses. `what` says
// what was asked ("token exchange", "token refresh").
Error token_endpoint_error(std::string_view provider, std::string_view what,
                           const http::HttpResponse& response,
                           const std::vector<std::string_view>& secrets,
                           const plugin::OAuthErrorDialect& dialect = {});

// What a revocation endpoint's answer means. Success: any 2xx; 404 (the token is already
// gone, e.g. HubSpot's answer); 400 `invalid_token` (RFC 6750's code for a token that is
// already revoked or expired, e.g. Google's answer, where RFC 7009 would answer 200).
// Otherwise the classified error.
Result<void> revocation_outcome(std::string_view provider, const http::HttpResponse& response,
                                const std::vector<std::string_view>& secrets,
                                const plugin::OAuthErrorDialect& dialect = {});

// A failed HttpClient::send as the OAuth layer reports it: unavailable /
// `provider_unavailable` for transport failures, the client's own error otherwise (e.g. a
// refused plain-http URL). Never repeats a URL.
Error transport_error(std::string_view provider, std::string_view what, const Error& error);

// The stable error code the OAuth callback reports for the `error` an authorization endpoint
// redirected with (RFC 6749 §4.1.2.1): access_denied and invalid_scope as they are;
// server_error and temporarily_unavailable -> provider_unavailable; anything else
// (invalid_request, unauthorized_client, unsupported_response_type, non-standard codes)
// -> provider_error.
std::string_view authorization_error_code(std::string_view provider_error_code);

} // namespace switchboard::oauth
