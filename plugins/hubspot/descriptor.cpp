#include "plugins/hubspot/descriptor.hpp"

#include "switchboard/categories.hpp"

namespace switchboard::plugins::hubspot {

sdk::ProviderSpec descriptor() {
    sdk::ProviderSpec spec;
    spec.id = provider_id;
    spec.category = SB_CATEGORY_CRM;
    // The contract this code implements, crm/1: a number, not SB_CONTRACT_REVISION_*, so
    // that a newer SDK cannot make it claim a contract it was not written for.
    spec.contract_revision = 1;
    spec.display_name = "HubSpot";
    spec.description =
        "Creates, finds and updates the contacts and deals of a HubSpot CRM account.";
    // HubSpot's OAuth v1 (specs/providers/hubspot_oauth_and_crm.md). Its token endpoint
    // takes a code_verifier, so PKCE is on. Revoking deletes the refresh token by path, and
    // the token metadata endpoint names the user (their e-mail) in "user" and the portal in
    // "hub_id".
    sdk::OAuthSpec& oauth = spec.oauth;
    oauth.authorize_url = "https://app.hubspot.com/oauth/authorize";
    oauth.token_url = "https://api.hubapi.com/oauth/v1/token";
    oauth.revoke_url = "https://api.hubapi.com/oauth/v1/refresh-tokens/{token}";
    oauth.revoke_style = SB_REVOKE_DELETE_PATH;
    // Companies read too: the assistant reaches them through the proxy (no action covers
    // them), and a deal's company association needs it.
    oauth.default_scopes = {"crm.objects.contacts.read", "crm.objects.contacts.write",
                            "crm.objects.deals.read", "crm.objects.deals.write",
                            "crm.objects.companies.read", "oauth"};
    oauth.pkce = true;
    oauth.client_auth = SB_CLIENT_AUTH_POST;
    oauth.identity_url = "https://api.hubapi.com/oauth/v1/access-tokens/{access_token}";
    oauth.identity_field = "/user";
    // One person may connect several portals: the portal ("hub") makes the account.
    oauth.identity_account_field = "/hub_id";
    // CRM v3; request paths start with /crm/v3/.
    spec.api_base_url = "https://api.hubapi.com";
    // Every HubSpot API lives on this host (CRM objects, pipelines, owners...): the
    // proxy reaches what the token's scopes allow there.
    spec.allowed_base_urls = {"https://api.hubapi.com"};
    // A private app's access token (Settings > Integrations > Private Apps) works like an
    // OAuth access token but never expires; the account-info API names its portal.
    spec.access_token.label = "Private app access token";
    spec.access_token.identity_url = "https://api.hubapi.com/account-info/v3/details";
    spec.access_token.identity_field = "/portalId";
    spec.access_token.identity_account_field = "/portalId";
    spec.actions = sdk::category_action_names(SB_CATEGORY_CRM);
    return spec;
}

} // namespace switchboard::plugins::hubspot
