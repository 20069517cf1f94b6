// The OAuth metadata every Google provider shares: Google's endpoints (see
// specs/providers/google_oauth.md), offline access with a forced consent screen (Google only
// returns a refresh token on a consented, offline grant), PKCE, and the account's e-mail from
// the OpenID Connect userinfo endpoint.
#pragma once

#include "switchboard/descriptor.hpp"

#include <string>
#include <utility>
#include <vector>

namespace switchboard::plugins {

inline sdk::OAuthSpec google_oauth(std::vector<std::string> scopes) {
    sdk::OAuthSpec oauth;
    oauth.authorize_url = "https://accounts.google.com/o/oauth2/v2/auth";
    oauth.token_url = "https://oauth2.googleapis.com/token";
    oauth.revoke_url = "https://oauth2.googleapis.com/revoke";
    oauth.revoke_style = SB_REVOKE_POST_FORM;
    oauth.default_scopes = std::move(scopes);
    oauth.extra_authorize_params = {{"access_type", "offline"}, {"prompt", "consent"}};
    oauth.pkce = true;
    oauth.client_auth = SB_CLIENT_AUTH_POST;
    oauth.identity_url = "https://openidconnect.googleapis.com/v1/userinfo";
    oauth.identity_field = "/email";
    oauth.identity_scopes = {"openid", "email"};
    return oauth;
}

} // namespace switchboard::plugins
