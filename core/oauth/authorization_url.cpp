#include "core/oauth/authorization_url.hpp"

#include "core/crypto/pkce.hpp"
#include "core/http/form_encoding.hpp"

#include <boost/url/parse.hpp>
#include <boost/url/url.hpp>

#include <algorithm>
#include <array>
#include <string_view>

namespace switchboard::oauth {
namespace {

constexpr std::array<std::string_view, 7> reserved_params = {
    "response_type", "client_id", "redirect_uri", "scope", "state", "code_challenge",
    "code_challenge_method"};

bool is_reserved(std::string_view name) {
    return std::find(reserved_params.begin(), reserved_params.end(), name) !=
           reserved_params.end();
}

Error missing(std::string_view what) {
    return Error(ErrorKind::invalid_input, "invalid_authorization_request",
                 "the authorization request has no " + std::string(what), std::string(what));
}

} // namespace

std::vector<std::string> requested_scopes(const plugin::OAuthDescriptor& oauth) {
    std::vector<std::string> scopes;
    auto add = [&scopes](const std::string& scope) {
        if (!scope.empty() && std::find(scopes.begin(), scopes.end(), scope) == scopes.end()) {
            scopes.push_back(scope);
        }
    };
    for (const auto& scope : oauth.default_scopes) add(scope);
    for (const auto& scope : oauth.identity_scopes) add(scope);
    return scopes;
}

Result<std::string> build_authorization_url(const plugin::OAuthDescriptor& oauth,
                                            const AuthorizationUrlParams& params) {
    if (params.client_id.empty()) return missing("client_id");
    if (params.redirect_uri.empty()) return missing("redirect_uri");
    if (params.state.empty()) return missing("state");
    if (oauth.pkce && params.code_challenge.empty()) return missing("code_challenge");

    auto parsed = boost::urls::parse_absolute_uri(oauth.authorize_url);
    if (!parsed || parsed->has_fragment() ||
        (parsed->scheme() != "https" && parsed->scheme() != "http")) {
        return Error(ErrorKind::internal, "invalid_provider_config",
                     "the provider's authorize URL is not an absolute http(s) URL");
    }

    std::string scope;
    for (const auto& s : requested_scopes(oauth)) {
        if (!scope.empty()) scope += ' ';
        scope += s;
    }
    http::FormFields fields = {{"response_type", "code"},
                               {"client_id", params.client_id},
                               {"redirect_uri", params.redirect_uri}};
    if (!scope.empty()) fields.emplace_back("scope", scope);
    fields.emplace_back("state", params.state);
    if (oauth.pkce) {
        fields.emplace_back("code_challenge", params.code_challenge);
        fields.emplace_back("code_challenge_method", std::string(crypto::Pkce::method));
    }
    for (const auto& [name, value] : oauth.extra_authorize_params) {
        if (!is_reserved(name)) fields.emplace_back(name, value);
    }

    boost::urls::url url(*parsed);
    std::string query(url.encoded_query());
    if (!query.empty()) query += '&';
    query += http::encode_query(fields);
    url.set_encoded_query(query);
    return std::string(url.buffer());
}

} // namespace switchboard::oauth
