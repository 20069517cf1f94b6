// A provider as the host keeps it: owned values copied out of the plugin's sb_provider_desc
// after validation, so nothing here points into the plugin.
#pragma once

#include "core/plugin/provider_policy.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace switchboard::plugin {

enum class RevokeStyle { none, post_form, delete_path };
enum class ClientAuth { post, basic };

struct OAuthDescriptor {
    std::string authorize_url;
    std::string token_url;
    std::string revoke_url; // empty when revoke_style is none
    RevokeStyle revoke_style = RevokeStyle::none;
    std::vector<std::string> default_scopes;
    std::vector<std::pair<std::string, std::string>> extra_authorize_params;
    bool pkce = false;
    ClientAuth client_auth = ClientAuth::post;
    std::string identity_url;   // empty when the provider exposes no identity
    std::string identity_field; // a JSON Pointer, e.g. "/email"
    // A JSON Pointer into the same identity answer naming the provider-side account the
    // identity acts in (HubSpot's portal: "/hub_id"); empty when the provider has none. The
    // account is (identity, account): the same login in a second portal is a second
    // connector. (sb_oauth_desc.identity_account_field, ABI 1.1.)
    std::string identity_account_field;
    std::vector<std::string> identity_scopes;
};

// How an account connects with an access token the provider issues outside OAuth
// (sb_access_token_desc, ABI 1.2), e.g. HubSpot's private-app access tokens. The host checks
// a token with a GET on identity_url (bearer), stores it without refresh token or expiry.
struct AccessTokenDescriptor {
    std::string label;          // what the provider calls it, for people
    std::string identity_url;   // GET with the token as a bearer token
    std::string identity_field; // JSON Pointer naming the account for people
    std::string identity_account_field; // JSON Pointer naming the provider-side account, or ""
};

struct ProviderDescriptor {
    std::string id;       // e.g. "google_calendar"
    std::string category; // e.g. "calendar"
    // The revision of the category's contract the provider implements ("calendar/1"): its
    // params and results are validated against that revision. (ABI 1.3; 1 before.)
    std::uint32_t contract_revision = 1;
    std::string display_name;
    std::string description;
    OAuthDescriptor oauth;
    std::string api_base_url;
    std::vector<std::string> actions;
    // Where the credentialed proxy may send the credentials: base URLs a proxied URL must fall
    // under, segment by segment (sb_provider_desc.allowed_base_urls, ABI 1.2). Never empty
    // once read: api_base_url alone when the plugin names none. Overrides move them as they
    // move api_base_url.
    std::vector<std::string> allowed_base_urls;
    // Connecting with an access token issued outside OAuth (ABI 1.2); nullopt: OAuth only.
    std::optional<AccessTokenDescriptor> access_token;
    // What the plugin's provider-policy extension says of the provider (generic rules when it
    // says nothing): see provider_policy.hpp.
    ProviderPolicy policy;

    bool has_action(std::string_view action) const {
        for (const auto& a : actions) {
            if (a == action) {
                return true;
            }
        }
        return false;
    }
};

std::string_view to_string(RevokeStyle style) noexcept;
std::string_view to_string(ClientAuth auth) noexcept;

} // namespace switchboard::plugin
