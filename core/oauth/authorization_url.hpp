// The URL the browser is sent to at the start of an OAuth 2.0 authorization-code flow
// (RFC 6749 §4.1.1, with PKCE per RFC 7636 §4.3), built from the provider's descriptor.
#pragma once

#include "core/common/error.hpp"
#include "core/plugin/provider_descriptor.hpp"

#include <string>
#include <vector>

namespace switchboard::oauth {

struct AuthorizationUrlParams {
    std::string client_id;
    std::string redirect_uri;
    std::string state;          // secret: never logged
    std::string code_challenge; // S256 of the verifier; sent only when the provider does PKCE
};

// The scopes the flow asks for: the descriptor's default scopes, then its identity scopes,
// each once, in that order.
std::vector<std::string> requested_scopes(const plugin::OAuthDescriptor& oauth);

// authorize_url + "?response_type=code&client_id&redirect_uri&scope&state" (+
// "code_challenge&code_challenge_method=S256" when oauth.pkce) + the descriptor's extra
// params, percent-encoded (space as %20). A query already in authorize_url is kept in front.
// Extra params that would replace one of the parameters above are ignored: the flow's own
// values must win. Errors: internal / `invalid_provider_config` for a malformed URL, and
// invalid_input / `invalid_authorization_request` for a missing client id, redirect URI,
// state or (with PKCE) challenge.
Result<std::string> build_authorization_url(const plugin::OAuthDescriptor& oauth,
                                            const AuthorizationUrlParams& params);

} // namespace switchboard::oauth
