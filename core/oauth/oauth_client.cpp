#include "core/oauth/oauth_client.hpp"

#include "core/http/form_encoding.hpp"
#include "core/oauth/identity_value.hpp"

#include <nlohmann/json.hpp>
#include <openssl/evp.h>

#include <vector>

namespace switchboard::oauth {
namespace {

constexpr std::string_view token_placeholder = "{token}";
constexpr std::string_view access_token_placeholder = "{access_token}";

// Standard base64 (RFC 4648 §4), as HTTP Basic wants it.
std::string base64(std::string_view bytes) {
    std::string out(4 * ((bytes.size() + 2) / 3), '\0');
    const int written = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                        reinterpret_cast<const unsigned char*>(bytes.data()),
                                        static_cast<int>(bytes.size()));
    out.resize(written < 0 ? 0 : static_cast<std::size_t>(written));
    return out;
}

// RFC 6749 §2.3.1: id and secret are form-encoded before they are joined and encoded.
std::string basic_authorization(const ClientCredentials& credentials) {
    return "Basic " + base64(http::percent_encode(credentials.client_id) + ":" +
                             http::percent_encode(credentials.client_secret));
}

std::string replace_placeholder(std::string url, std::string_view placeholder,
                                std::string_view value) {
    const std::string encoded = http::percent_encode(value);
    for (auto at = url.find(placeholder); at != std::string::npos;
         at = url.find(placeholder, at + encoded.size())) {
        url.replace(at, placeholder.size(), encoded);
    }
    return url;
}

bool has_error_member(std::string_view body) {
    auto json = nlohmann::json::parse(body, nullptr, false);
    return !json.is_discarded() && json.is_object() && json.contains("error");
}

} // namespace

OAuthClient::OAuthClient(std::shared_ptr<http::HttpClient> http, OAuthClientOptions options)
    : http_(std::move(http)), options_(options) {}

http::RequestOptions OAuthClient::request_options(
    const plugin::ProviderDescriptor& provider) const {
    http::RequestOptions options;
    options.metrics_label = provider.id;
    options.connect_timeout = options_.connect_timeout;
    options.read_timeout = options_.read_timeout;
    options.deadline = options_.deadline;
    options.retry_non_idempotent = false;
    options.rate_limit_rules = plugin::rate_limit_rules(provider.policy);
    return options;
}

Result<TokenResponse> OAuthClient::token_request(
    const plugin::ProviderDescriptor& provider, const ClientCredentials& credentials,
    std::string_view what, http::FormFields fields,
    const std::vector<std::string_view>& secrets) const {
    http::HttpRequest request;
    request.method = "POST";
    request.url = provider.oauth.token_url;
    request.headers = {{"Content-Type", "application/x-www-form-urlencoded"},
                       {"Accept", "application/json"}};
    if (provider.oauth.client_auth == plugin::ClientAuth::basic) {
        request.headers.emplace_back("Authorization", basic_authorization(credentials));
    } else {
        fields.emplace_back("client_id", credentials.client_id);
        fields.emplace_back("client_secret", credentials.client_secret);
    }
    request.body = http::encode_form(fields);

    auto response = http_->send(request, request_options(provider));
    if (!response) return transport_error(provider.id, what, response.error());
    if (response->status < 200 || response->status >= 300 || has_error_member(response->body)) {
        return token_endpoint_error(provider.id, what, *response, secrets,
                                    provider.policy.oauth_errors);
    }
    return parse_token_response(provider.id, response->body);
}

Result<TokenResponse> OAuthClient::exchange_code(const plugin::ProviderDescriptor& provider,
                                                 const ClientCredentials& credentials,
                                                 const CodeExchange& exchange) const {
    http::FormFields fields = {{"grant_type", "authorization_code"},
                               {"code", exchange.code},
                               {"redirect_uri", exchange.redirect_uri}};
    if (provider.oauth.pkce) fields.emplace_back("code_verifier", exchange.code_verifier);
    return token_request(provider, credentials, "token exchange", std::move(fields),
                         {exchange.code, exchange.code_verifier, credentials.client_secret});
}

Result<TokenResponse> OAuthClient::refresh(const plugin::ProviderDescriptor& provider,
                                           const ClientCredentials& credentials,
                                           std::string_view refresh_token) const {
    http::FormFields fields = {{"grant_type", "refresh_token"},
                               {"refresh_token", std::string(refresh_token)}};
    return token_request(provider, credentials, "token refresh", std::move(fields),
                         {refresh_token, credentials.client_secret});
}

Result<void> OAuthClient::revoke(const plugin::ProviderDescriptor& provider,
                                 std::string_view token) const {
    http::HttpRequest request;
    switch (provider.oauth.revoke_style) {
    case plugin::RevokeStyle::none:
        return Error(ErrorKind::unsupported, "revocation_unsupported",
                     provider.id + " has no token revocation endpoint");
    case plugin::RevokeStyle::post_form:
        request.method = "POST";
        request.url = provider.oauth.revoke_url;
        request.headers = {{"Content-Type", "application/x-www-form-urlencoded"}};
        request.body = http::encode_form({{"token", std::string(token)}});
        break;
    case plugin::RevokeStyle::delete_path:
        request.method = "DELETE";
        request.url = replace_placeholder(provider.oauth.revoke_url, token_placeholder, token);
        break;
    }
    auto response = http_->send(request, request_options(provider));
    if (!response) return transport_error(provider.id, "token revocation", response.error());
    return revocation_outcome(provider.id, *response, {token}, provider.policy.oauth_errors);
}

Result<std::string> OAuthClient::fetch_identity(const plugin::ProviderDescriptor& provider,
                                                std::string_view access_token) const {
    auto account = fetch_account(provider, access_token);
    if (!account) return account.error();
    return std::move(account->identity);
}

Result<AccountIdentity> OAuthClient::fetch_account(const plugin::ProviderDescriptor& provider,
                                                   std::string_view access_token) const {
    const auto& oauth = provider.oauth;
    if (oauth.identity_url.empty() || oauth.identity_field.empty()) {
        return Error(ErrorKind::unsupported, "identity_unsupported",
                     provider.id + " has no identity endpoint");
    }
    http::HttpRequest request;
    request.method = "GET";
    request.headers = {{"Accept", "application/json"}};
    if (oauth.identity_url.find(access_token_placeholder) != std::string::npos) {
        request.url = replace_placeholder(oauth.identity_url, access_token_placeholder, access_token);
    } else {
        request.url = oauth.identity_url;
        request.headers.emplace_back("Authorization", "Bearer " + std::string(access_token));
    }
    auto response = http_->send(request, request_options(provider));
    if (!response) return transport_error(provider.id, "identity request", response.error());
    if (response->status < 200 || response->status >= 300) {
        return token_endpoint_error(provider.id, "identity request", *response, {access_token},
                                    provider.policy.oauth_errors);
    }
    auto json = nlohmann::json::parse(response->body, nullptr, false);
    if (json.is_discarded()) {
        return Error(ErrorKind::upstream_failed, std::string(provider_error),
                     provider.id + " identity answer is not JSON");
    }
    AccountIdentity out;
    auto identity = identity_value(provider.id, json, oauth.identity_field, access_token);
    if (!identity) return identity.error();
    out.identity = std::move(*identity);
    if (!oauth.identity_account_field.empty()) {
        auto account =
            identity_value(provider.id, json, oauth.identity_account_field, access_token);
        if (!account) return account.error();
        out.account_id = std::move(*account);
    }
    return out;
}

} // namespace switchboard::oauth
