// A provider as the host keeps it: owned values copied out of the plugin's sb_provider_desc
// after validation, so nothing here points into the plugin.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace switchboard {

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

struct ProviderDescriptor {
    std::string id;       // e.g. "google_calendar"
    std::string category; // e.g. "calendar"
    std::string display_name;
    std::string description;
    OAuthDescriptor oauth;
    std::string api_base_url;
    std::vector<std::string> actions;

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

} // namespace switchboard
