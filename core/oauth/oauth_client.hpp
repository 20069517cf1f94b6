// OAuthClient: the generic OAuth 2.0 client the host runs for every provider, driven by the
// provider's descriptor (config overrides applied) and its client credentials: the token
// exchange with the PKCE verifier, refresh, revocation and the account's identity. Blocking;
// thread-safe (it holds only the shared HttpClient and its options).
#pragma once

#include "core/common/error.hpp"
#include "core/http/form_encoding.hpp"
#include "core/http/http_client.hpp"
#include "core/oauth/client_credentials.hpp"
#include "core/oauth/oauth_errors.hpp"
#include "core/oauth/token_response.hpp"
#include "core/plugin/provider_descriptor.hpp"

#include <chrono>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace switchboard::oauth {

// Who the tokens act for: the identity (e.g. the e-mail) and, where the provider names one
// (identity_account_field), the provider-side account (HubSpot's portal id).
struct AccountIdentity {
    std::string identity;
    std::string account_id; // empty when the descriptor names no account field
};

struct OAuthClientOptions {
    std::chrono::milliseconds connect_timeout{5000};
    std::chrono::milliseconds read_timeout{15000};
    // Every attempt and wait of one call together.
    std::chrono::milliseconds deadline{30000};
};

// What the callback hands to the token exchange. All secrets but redirect_uri.
struct CodeExchange {
    std::string code;
    std::string redirect_uri;  // exactly the one of the authorization request
    std::string code_verifier; // sent when the provider does PKCE
};

// Every call sends with RequestOptions::metrics_label = the provider id, so the client's
// metrics count OAuth traffic per provider; token requests (POST) are not repeated after
// they may have reached the provider (a code is single-use; a rotated refresh token would be
// lost). Errors: see oauth_errors.hpp. Nothing here logs a token, code, verifier or secret.
class OAuthClient {
public:
    explicit OAuthClient(std::shared_ptr<http::HttpClient> http, OAuthClientOptions options = {});

    // grant_type=authorization_code, code, redirect_uri, code_verifier (when PKCE); client
    // authentication in the form (client_secret_post) or as HTTP Basic (client_secret_basic),
    // as the descriptor says.
    Result<TokenResponse> exchange_code(const plugin::ProviderDescriptor& provider,
                                        const ClientCredentials& credentials,
                                        const CodeExchange& exchange) const;

    // grant_type=refresh_token. A response without a refresh token leaves
    // TokenResponse::refresh_token empty: the caller keeps the one it has; one with a new
    // refresh token (rotation) must replace the old one, which the provider may have retired.
    Result<TokenResponse> refresh(const plugin::ProviderDescriptor& provider,
                                  const ClientCredentials& credentials,
                                  std::string_view refresh_token) const;

    // Revokes `token` (a refresh or an access token) where the provider has an endpoint:
    // post_form POSTs `token=<token>` (RFC 7009); delete_path sends DELETE to revoke_url with
    // "{token}" replaced by the percent-encoded token. A token the provider says is already
    // invalid counts as revoked. A provider without an endpoint (RevokeStyle::none) is
    // unsupported / `revocation_unsupported`.
    Result<void> revoke(const plugin::ProviderDescriptor& provider, std::string_view token) const;

    // The account's identity (e.g. its e-mail): GET identity_url with the bearer token, or,
    // when the URL holds "{access_token}", with the token substituted there (HubSpot), then
    // the value at identity_field (a JSON Pointer; a string, or a number written out). A
    // provider without an identity URL is unsupported / `identity_unsupported`; a missing or
    // empty value is upstream_failed / `provider_error`.
    Result<std::string> fetch_identity(const plugin::ProviderDescriptor& provider,
                                       std::string_view access_token) const;

    // fetch_identity() and, when the descriptor has an identity_account_field, the value
    // there from the same answer (a string, or a number written out); missing or empty, it
    // is upstream_failed / `provider_error` like a missing identity.
    Result<AccountIdentity> fetch_account(const plugin::ProviderDescriptor& provider,
                                          std::string_view access_token) const;

private:
    http::RequestOptions request_options(const plugin::ProviderDescriptor& provider) const;
    Result<TokenResponse> token_request(const plugin::ProviderDescriptor& provider,
                                        const ClientCredentials& credentials, std::string_view what,
                                        http::FormFields fields,
                                        const std::vector<std::string_view>& secrets) const;

    std::shared_ptr<http::HttpClient> http_;
    OAuthClientOptions options_;
};

} // namespace switchboard::oauth
