// switchboard/descriptor.hpp — provider descriptors as C++ values (ProviderSpec), and their
// pinned C form (ProviderDescriptor) that the plugin keeps alive while the host reads it.
#pragma once

#include "switchboard/plugin.h"

#include <algorithm>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace switchboard::sdk {

// A name/value pair: an extra authorize parameter, an HTTP header.
struct NameValue {
    std::string name;
    std::string value;

    friend bool operator==(const NameValue&, const NameValue&) = default;
};

// OAuth 2.0 metadata (sb_oauth_desc). Empty optional strings become NULL in the C struct.
struct OAuthSpec {
    std::string authorize_url;
    std::string token_url;
    std::string revoke_url; // "" with SB_REVOKE_NONE
    sb_revoke_style revoke_style = SB_REVOKE_NONE;
    std::vector<std::string> default_scopes;
    std::vector<NameValue> extra_authorize_params;
    bool pkce = true;
    sb_client_auth client_auth = SB_CLIENT_AUTH_POST;
    std::string identity_url;   // "" when the provider exposes no identity
    std::string identity_field; // JSON Pointer, e.g. "/email"; "" with identity_url ""
    std::vector<std::string> identity_scopes;
    // [ABI 1.1] JSON Pointer to the provider-side account in the identity response (e.g.
    // HubSpot's "/hub_id"); "" when the identity alone names the account.
    std::string identity_account_field;

    friend bool operator==(const OAuthSpec&, const OAuthSpec&) = default;
};

// [ABI 1.2] An access token the provider issues outside OAuth (sb_access_token_desc): an
// empty `label` means the provider has none.
struct AccessTokenSpec {
    std::string label;        // e.g. "Private app access token"
    std::string identity_url; // absolute https URL, GET with the token as a bearer token
    std::string identity_field;         // JSON Pointer naming the account for people
    std::string identity_account_field; // JSON Pointer naming the provider-side account, or ""

    friend bool operator==(const AccessTokenSpec&, const AccessTokenSpec&) = default;
};

// One provider a plugin ships (sb_provider_desc).
struct ProviderSpec {
    std::string id;           // [a-z0-9_]{1,64}, unique across all plugins
    std::string category;     // SB_CATEGORY_*
    std::string display_name; // "Google Calendar"
    std::string description;  // one sentence
    OAuthSpec oauth;
    std::string api_base_url; // absolute https URL, no trailing slash
    std::vector<std::string> actions; // the category actions this provider implements
    // [ABI 1.2] Where the host's proxy may send the credentials; empty: api_base_url alone.
    std::vector<std::string> allowed_base_urls;
    // [ABI 1.2] Connecting with an access token issued outside OAuth (label "" for none).
    AccessTokenSpec access_token;
    // [ABI 1.3] The revision of the category's contract the provider implements: the "1" of
    // "calendar/1" (categories.h: SB_CONTRACT_REVISION_<CATEGORY> is the one this SDK ships).
    // Say which one your code was written against; the host validates params and results
    // against it.
    std::uint32_t contract_revision = 1;

    friend bool operator==(const ProviderSpec&, const ProviderSpec&) = default;
};

// The C form of a ProviderSpec. It owns the spec and every array the C structs point into,
// so it is neither copyable nor movable: the pointers it hands out stay valid, unchanged,
// for its whole life (the plugin keeps it from init until deinit).
class ProviderDescriptor {
public:
    explicit ProviderDescriptor(ProviderSpec spec) : spec_(std::move(spec)) {
        const auto c_strings = [](const std::vector<std::string>& strings) {
            std::vector<const char*> out;
            out.reserve(strings.size());
            for (const auto& s : strings) out.push_back(s.c_str());
            return out;
        };
        const auto required = [](const std::string& s) { return s.c_str(); };
        const auto optional = [](const std::string& s) { return s.empty() ? nullptr : s.c_str(); };

        const OAuthSpec& oauth = spec_.oauth;
        scopes_ = c_strings(oauth.default_scopes);
        identity_scopes_ = c_strings(oauth.identity_scopes);
        actions_ = c_strings(spec_.actions);
        allowed_base_urls_ = c_strings(spec_.allowed_base_urls);
        params_.reserve(oauth.extra_authorize_params.size());
        for (const auto& p : oauth.extra_authorize_params) {
            params_.push_back(sb_pair{static_cast<uint32_t>(sizeof(sb_pair)), p.name.c_str(),
                                      p.value.c_str()});
        }
        for (const auto& p : params_) param_pointers_.push_back(&p);

        oauth_.struct_size = static_cast<uint32_t>(sizeof(sb_oauth_desc));
        oauth_.authorize_url = required(oauth.authorize_url);
        oauth_.token_url = required(oauth.token_url);
        oauth_.revoke_url = optional(oauth.revoke_url);
        oauth_.revoke_style = oauth.revoke_style;
        oauth_.default_scopes = array_or_null(scopes_);
        oauth_.default_scope_count = scopes_.size();
        oauth_.extra_authorize_params = array_or_null(param_pointers_);
        oauth_.extra_authorize_param_count = param_pointers_.size();
        oauth_.pkce = oauth.pkce ? 1 : 0;
        oauth_.client_auth = oauth.client_auth;
        oauth_.identity_url = optional(oauth.identity_url);
        oauth_.identity_field = optional(oauth.identity_field);
        oauth_.identity_scopes = array_or_null(identity_scopes_);
        oauth_.identity_scope_count = identity_scopes_.size();
        oauth_.identity_account_field = optional(oauth.identity_account_field);

        desc_.struct_size = static_cast<uint32_t>(sizeof(sb_provider_desc));
        desc_.id = required(spec_.id);
        desc_.category = required(spec_.category);
        desc_.display_name = required(spec_.display_name);
        desc_.description = required(spec_.description);
        desc_.oauth = &oauth_;
        desc_.api_base_url = required(spec_.api_base_url);
        desc_.actions = array_or_null(actions_);
        desc_.action_count = actions_.size();
        desc_.allowed_base_urls = array_or_null(allowed_base_urls_);
        desc_.allowed_base_url_count = allowed_base_urls_.size();
        const AccessTokenSpec& token = spec_.access_token;
        if (!token.label.empty()) {
            access_token_.struct_size = static_cast<uint32_t>(sizeof(sb_access_token_desc));
            access_token_.label = required(token.label);
            access_token_.identity_url = optional(token.identity_url);
            access_token_.identity_field = optional(token.identity_field);
            access_token_.identity_account_field = optional(token.identity_account_field);
            desc_.access_token = &access_token_;
        }
        desc_.contract_revision = spec_.contract_revision;
    }

    ProviderDescriptor(const ProviderDescriptor&) = delete;
    ProviderDescriptor& operator=(const ProviderDescriptor&) = delete;

    const ProviderSpec& spec() const noexcept { return spec_; }
    const sb_provider_desc* c_desc() const noexcept { return &desc_; }

    bool has_action(std::string_view action) const noexcept {
        return std::find(spec_.actions.begin(), spec_.actions.end(), action) !=
               spec_.actions.end();
    }

private:
    template <class T>
    static const T* const* array_or_null(const std::vector<const T*>& v) noexcept {
        return v.empty() ? nullptr : v.data();
    }

    const ProviderSpec spec_;
    std::vector<const char*> scopes_;
    std::vector<const char*> identity_scopes_;
    std::vector<const char*> actions_;
    std::vector<const char*> allowed_base_urls_;
    std::vector<sb_pair> params_;
    std::vector<const sb_pair*> param_pointers_;
    sb_oauth_desc oauth_{};
    sb_access_token_desc access_token_{};
    sb_provider_desc desc_{};
};

// Reads a C descriptor back into a ProviderSpec, honouring struct_size (a field outside it
// reads as empty, contract_revision as 1) and NULL pointers (read as ""). For hosts and tests;
// `desc` may be NULL.
inline ProviderSpec read_provider_desc(const sb_provider_desc* desc) {
    ProviderSpec spec;
    if (desc == nullptr) return spec;
    const auto str = [](const char* s) { return s != nullptr ? std::string(s) : std::string(); };
    const auto strings = [&](const char* const* array, std::size_t count) {
        std::vector<std::string> out;
        if (array == nullptr) return out;
        for (std::size_t i = 0; i < count; ++i) out.push_back(str(array[i]));
        return out;
    };
    if (SB_HAS_FIELD(sb_provider_desc, desc, id)) spec.id = str(desc->id);
    if (SB_HAS_FIELD(sb_provider_desc, desc, category)) spec.category = str(desc->category);
    if (SB_HAS_FIELD(sb_provider_desc, desc, display_name)) {
        spec.display_name = str(desc->display_name);
    }
    if (SB_HAS_FIELD(sb_provider_desc, desc, description)) {
        spec.description = str(desc->description);
    }
    if (SB_HAS_FIELD(sb_provider_desc, desc, api_base_url)) {
        spec.api_base_url = str(desc->api_base_url);
    }
    if (SB_HAS_FIELD(sb_provider_desc, desc, action_count)) {
        spec.actions = strings(desc->actions, desc->action_count);
    }
    if (SB_HAS_FIELD(sb_provider_desc, desc, allowed_base_url_count)) {
        spec.allowed_base_urls = strings(desc->allowed_base_urls, desc->allowed_base_url_count);
    }
    const sb_access_token_desc* t =
        SB_HAS_FIELD(sb_provider_desc, desc, access_token) ? desc->access_token : nullptr;
    if (t != nullptr) {
        AccessTokenSpec& token = spec.access_token;
        if (SB_HAS_FIELD(sb_access_token_desc, t, label)) token.label = str(t->label);
        if (SB_HAS_FIELD(sb_access_token_desc, t, identity_url)) {
            token.identity_url = str(t->identity_url);
        }
        if (SB_HAS_FIELD(sb_access_token_desc, t, identity_field)) {
            token.identity_field = str(t->identity_field);
        }
        if (SB_HAS_FIELD(sb_access_token_desc, t, identity_account_field)) {
            token.identity_account_field = str(t->identity_account_field);
        }
    }
    if (SB_HAS_FIELD(sb_provider_desc, desc, contract_revision) && desc->contract_revision != 0) {
        spec.contract_revision = desc->contract_revision; // 0 means 1, the default
    }
    const sb_oauth_desc* o = SB_HAS_FIELD(sb_provider_desc, desc, oauth) ? desc->oauth : nullptr;
    if (o == nullptr) return spec;
    OAuthSpec& oauth = spec.oauth;
    if (SB_HAS_FIELD(sb_oauth_desc, o, authorize_url)) oauth.authorize_url = str(o->authorize_url);
    if (SB_HAS_FIELD(sb_oauth_desc, o, token_url)) oauth.token_url = str(o->token_url);
    if (SB_HAS_FIELD(sb_oauth_desc, o, revoke_url)) oauth.revoke_url = str(o->revoke_url);
    if (SB_HAS_FIELD(sb_oauth_desc, o, revoke_style)) oauth.revoke_style = o->revoke_style;
    if (SB_HAS_FIELD(sb_oauth_desc, o, default_scope_count)) {
        oauth.default_scopes = strings(o->default_scopes, o->default_scope_count);
    }
    if (SB_HAS_FIELD(sb_oauth_desc, o, extra_authorize_param_count) &&
        o->extra_authorize_params != nullptr) {
        for (std::size_t i = 0; i < o->extra_authorize_param_count; ++i) {
            const sb_pair* p = o->extra_authorize_params[i];
            if (p == nullptr) continue;
            oauth.extra_authorize_params.push_back(
                {SB_HAS_FIELD(sb_pair, p, name) ? str(p->name) : std::string(),
                 SB_HAS_FIELD(sb_pair, p, value) ? str(p->value) : std::string()});
        }
    }
    oauth.pkce = SB_HAS_FIELD(sb_oauth_desc, o, pkce) && o->pkce != 0;
    if (SB_HAS_FIELD(sb_oauth_desc, o, client_auth)) oauth.client_auth = o->client_auth;
    if (SB_HAS_FIELD(sb_oauth_desc, o, identity_url)) oauth.identity_url = str(o->identity_url);
    if (SB_HAS_FIELD(sb_oauth_desc, o, identity_field)) {
        oauth.identity_field = str(o->identity_field);
    }
    if (SB_HAS_FIELD(sb_oauth_desc, o, identity_scope_count)) {
        oauth.identity_scopes = strings(o->identity_scopes, o->identity_scope_count);
    }
    if (SB_HAS_FIELD(sb_oauth_desc, o, identity_account_field)) {
        oauth.identity_account_field = str(o->identity_account_field);
    }
    return spec;
}

} // namespace switchboard::sdk
