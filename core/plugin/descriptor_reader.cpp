#include "core/plugin/descriptor_reader.hpp"

#include "core/plugin/abi_layout.hpp"
#include "core/plugin/text_checks.hpp"

#include <boost/url/parse.hpp>

#include <cstring>
#include <set>
#include <stdexcept>

namespace switchboard::plugin {

namespace {

constexpr std::size_t kMaxString = 8192;
constexpr std::size_t kMaxListItems = 256;

// Thrown inside this file only; read_provider_descriptor turns it into an Error.
struct DescriptorProblem : std::runtime_error {
    explicit DescriptorProblem(const std::string& what, const char* error_code = "invalid_descriptor")
        : std::runtime_error(what), code(error_code) {}
    const char* code;
};

// "calendar/1, calendar/2"
std::string revision_list(const ContractCatalog& catalog, const std::string& category) {
    std::string out;
    for (const auto revision : catalog.revisions(category)) {
        out += (out.empty() ? "" : ", ") + category + "/" + std::to_string(revision);
    }
    return out;
}

std::optional<std::string> optional_string(const char* s, const std::string& field) {
    if (s == nullptr) {
        return std::nullopt;
    }
    std::size_t length = ::strnlen(s, kMaxString + 1);
    if (length > kMaxString) {
        throw DescriptorProblem(field + " is longer than " + std::to_string(kMaxString) +
                                " bytes");
    }
    std::string value(s, length);
    if (!is_valid_utf8(value)) {
        throw DescriptorProblem(field + " is not valid UTF-8");
    }
    return value;
}

std::string required_string(const char* s, const std::string& field) {
    auto value = optional_string(s, field);
    if (!value) {
        throw DescriptorProblem(field + " is missing");
    }
    if (value->empty()) {
        throw DescriptorProblem(field + " is empty");
    }
    return *value;
}

// An absolute https URL with a host; `placeholder` (e.g. "{token}") may appear in it.
std::string https_url(const char* s, const std::string& field, std::string_view placeholder = {}) {
    std::string url = required_string(s, field);
    std::string checked = url;
    if (!placeholder.empty()) {
        for (auto at = checked.find(placeholder); at != std::string::npos;
             at = checked.find(placeholder)) {
            checked.replace(at, placeholder.size(), "placeholder");
        }
    }
    auto parsed = boost::urls::parse_absolute_uri(checked);
    if (!parsed || parsed->scheme() != "https" || parsed->encoded_host().empty() ||
        parsed->has_userinfo()) {
        throw DescriptorProblem(field + " must be an absolute https URL with a host (got '" +
                                url + "')");
    }
    return url;
}

std::vector<std::string> string_list(const char* const* items, std::size_t count,
                                     const std::string& field) {
    std::vector<std::string> out;
    if (count == 0) {
        return out;
    }
    if (items == nullptr) {
        throw DescriptorProblem(field + " is NULL but its count is " + std::to_string(count));
    }
    if (count > kMaxListItems) {
        throw DescriptorProblem(field + " has more than " + std::to_string(kMaxListItems) +
                                " items");
    }
    for (std::size_t i = 0; i < count; ++i) {
        out.push_back(required_string(items[i], field + "[" + std::to_string(i) + "]"));
    }
    return out;
}

std::vector<std::pair<std::string, std::string>> pair_list(const sb_pair* const* items,
                                                           std::size_t count,
                                                           const std::string& field) {
    std::vector<std::pair<std::string, std::string>> out;
    if (count == 0) {
        return out;
    }
    if (items == nullptr) {
        throw DescriptorProblem(field + " is NULL but its count is " + std::to_string(count));
    }
    if (count > kMaxListItems) {
        throw DescriptorProblem(field + " has more than " + std::to_string(kMaxListItems) +
                                " items");
    }
    for (std::size_t i = 0; i < count; ++i) {
        std::string item = field + "[" + std::to_string(i) + "]";
        if (items[i] == nullptr) {
            throw DescriptorProblem(item + " is missing");
        }
        auto pair = copy_struct(items[i], kPairMinSize);
        if (!pair) {
            throw DescriptorProblem(item + " is truncated (struct_size " +
                                    std::to_string(declared_size(items[i])) + ")");
        }
        if (pair->value == nullptr) {
            throw DescriptorProblem(item + ".value is missing");
        }
        out.emplace_back(required_string(pair->name, item + ".name"),
                         *optional_string(pair->value, item + ".value"));
    }
    return out;
}

OAuthDescriptor read_oauth(const sb_oauth_desc* from) {
    if (from == nullptr) {
        throw DescriptorProblem("oauth is missing");
    }
    auto o = copy_struct(from, kOAuthDescMinSize);
    if (!o) {
        throw DescriptorProblem("oauth is truncated: struct_size " +
                                std::to_string(declared_size(from)) + " is smaller than the " +
                                std::to_string(kOAuthDescMinSize) + " bytes ABI 1.0 requires");
    }
    OAuthDescriptor d;
    d.authorize_url = https_url(o->authorize_url, "oauth.authorize_url");
    d.token_url = https_url(o->token_url, "oauth.token_url");
    switch (o->revoke_style) {
    case SB_REVOKE_NONE: d.revoke_style = RevokeStyle::none; break;
    case SB_REVOKE_POST_FORM: d.revoke_style = RevokeStyle::post_form; break;
    case SB_REVOKE_DELETE_PATH: d.revoke_style = RevokeStyle::delete_path; break;
    default:
        throw DescriptorProblem("oauth.revoke_style has unknown value " +
                                std::to_string(o->revoke_style));
    }
    if (d.revoke_style == RevokeStyle::delete_path) {
        d.revoke_url = https_url(o->revoke_url, "oauth.revoke_url", "{token}");
        if (d.revoke_url.find("{token}") == std::string::npos) {
            throw DescriptorProblem("oauth.revoke_url must contain {token} for "
                                    "SB_REVOKE_DELETE_PATH");
        }
    } else if (d.revoke_style == RevokeStyle::post_form) {
        d.revoke_url = https_url(o->revoke_url, "oauth.revoke_url");
    }
    d.default_scopes = string_list(o->default_scopes, o->default_scope_count,
                                   "oauth.default_scopes");
    d.extra_authorize_params = pair_list(o->extra_authorize_params,
                                         o->extra_authorize_param_count,
                                         "oauth.extra_authorize_params");
    if (o->pkce != 0 && o->pkce != 1) {
        throw DescriptorProblem("oauth.pkce must be 0 or 1, not " + std::to_string(o->pkce));
    }
    d.pkce = o->pkce == 1;
    switch (o->client_auth) {
    case SB_CLIENT_AUTH_POST: d.client_auth = ClientAuth::post; break;
    case SB_CLIENT_AUTH_BASIC: d.client_auth = ClientAuth::basic; break;
    default:
        throw DescriptorProblem("oauth.client_auth has unknown value " +
                                std::to_string(o->client_auth));
    }
    // Optional trailing fields: read only what struct_size covers (the copy is zeroed, but
    // the explicit check documents which fields a 1.0 plugin may leave out).
    const char* identity_url = SB_HAS_FIELD(sb_oauth_desc, &*o, identity_url) ? o->identity_url
                                                                               : nullptr;
    const char* identity_field =
        SB_HAS_FIELD(sb_oauth_desc, &*o, identity_field) ? o->identity_field : nullptr;
    if ((identity_url == nullptr) != (identity_field == nullptr)) {
        throw DescriptorProblem("oauth.identity_url and oauth.identity_field must be given "
                                "together");
    }
    if (identity_url != nullptr) {
        d.identity_url = https_url(identity_url, "oauth.identity_url", "{access_token}");
        d.identity_field = required_string(identity_field, "oauth.identity_field");
        if (d.identity_field.front() != '/') {
            throw DescriptorProblem("oauth.identity_field must be a JSON Pointer starting with "
                                    "'/'");
        }
    }
    if (SB_HAS_FIELD(sb_oauth_desc, &*o, identity_scope_count)) {
        d.identity_scopes = string_list(o->identity_scopes, o->identity_scope_count,
                                        "oauth.identity_scopes");
    }
    // ABI 1.1; a 1.0 plugin's struct ends before it.
    if (SB_HAS_FIELD(sb_oauth_desc, &*o, identity_account_field) &&
        o->identity_account_field != nullptr) {
        if (d.identity_url.empty()) {
            throw DescriptorProblem("oauth.identity_account_field needs oauth.identity_url");
        }
        d.identity_account_field =
            required_string(o->identity_account_field, "oauth.identity_account_field");
        if (d.identity_account_field.front() != '/') {
            throw DescriptorProblem("oauth.identity_account_field must be a JSON Pointer "
                                    "starting with '/'");
        }
    }
    return d;
}

// An absolute https URL that a path is appended to: no trailing slash, query or fragment.
std::string base_url(const char* s, const std::string& field) {
    std::string url = https_url(s, field);
    if (url.back() == '/' || url.find_first_of("?#") != std::string::npos) {
        throw DescriptorProblem(field + " must have no trailing slash, query or fragment");
    }
    return url;
}

std::string json_pointer(const char* s, const std::string& field) {
    std::string pointer = required_string(s, field);
    if (pointer.front() != '/') {
        throw DescriptorProblem(field + " must be a JSON Pointer starting with '/'");
    }
    return pointer;
}

AccessTokenDescriptor read_access_token(const sb_access_token_desc* from) {
    auto t = copy_struct(from, kAccessTokenDescMinSize);
    if (!t) {
        throw DescriptorProblem("access_token is truncated: struct_size " +
                                std::to_string(declared_size(from)) +
                                " is smaller than the " +
                                std::to_string(kAccessTokenDescMinSize) +
                                " bytes ABI 1.2 requires");
    }
    AccessTokenDescriptor d;
    d.label = required_string(t->label, "access_token.label");
    d.identity_url = https_url(t->identity_url, "access_token.identity_url");
    d.identity_field = json_pointer(t->identity_field, "access_token.identity_field");
    if (SB_HAS_FIELD(sb_access_token_desc, &*t, identity_account_field) &&
        t->identity_account_field != nullptr) {
        d.identity_account_field =
            json_pointer(t->identity_account_field, "access_token.identity_account_field");
    }
    return d;
}

ProviderDescriptor read(const sb_provider_desc& p, const ContractCatalog& catalog) {
    ProviderDescriptor d;
    d.category = required_string(p.category, "category");
    if (!catalog.has_category(d.category)) {
        std::string known;
        for (const auto& c : catalog.categories()) {
            known += (known.empty() ? "" : ", ") + c;
        }
        throw DescriptorProblem("unknown category '" + d.category + "' (known: " + known + ")");
    }
    // ABI 1.3; an older plugin's struct ends before it, and 0 means the same: revision 1.
    const std::uint32_t revision =
        SB_HAS_FIELD(sb_provider_desc, &p, contract_revision) ? p.contract_revision : 0;
    d.contract_revision = revision == 0 ? 1 : revision;
    if (!catalog.has_revision(d.category, d.contract_revision)) {
        throw DescriptorProblem("implements contract " + d.category + "/" +
                                    std::to_string(d.contract_revision) +
                                    ", which this host does not honour (it honours " +
                                    revision_list(catalog, d.category) + ")",
                                "unsupported_contract_revision");
    }
    d.display_name = required_string(p.display_name, "display_name");
    d.description = required_string(p.description, "description");
    d.oauth = read_oauth(p.oauth);
    d.api_base_url = base_url(p.api_base_url, "api_base_url");
    d.actions = string_list(p.actions, p.action_count, "actions");
    if (d.actions.empty()) {
        throw DescriptorProblem("declares no actions");
    }
    std::set<std::string> seen;
    for (const auto& action : d.actions) {
        if (catalog.find_action(d.category, action, d.contract_revision) == nullptr) {
            throw DescriptorProblem("action '" + action + "' is not in the '" + d.category +
                                    "/" + std::to_string(d.contract_revision) + "' contract");
        }
        if (!seen.insert(action).second) {
            throw DescriptorProblem("action '" + action + "' is listed twice");
        }
    }
    // ABI 1.2; a plugin of an older minor reads as one that names none of these.
    if (SB_HAS_FIELD(sb_provider_desc, &p, allowed_base_url_count)) {
        const auto bases = string_list(p.allowed_base_urls, p.allowed_base_url_count,
                                       "allowed_base_urls");
        for (std::size_t i = 0; i < bases.size(); ++i) {
            d.allowed_base_urls.push_back(
                base_url(bases[i].c_str(), "allowed_base_urls[" + std::to_string(i) + "]"));
        }
    }
    if (d.allowed_base_urls.empty()) {
        d.allowed_base_urls.push_back(d.api_base_url);
    }
    if (SB_HAS_FIELD(sb_provider_desc, &p, access_token) && p.access_token != nullptr) {
        d.access_token = read_access_token(p.access_token);
    }
    return d;
}

} // namespace

Result<ProviderDescriptor> read_provider_descriptor(const sb_provider_desc* desc,
                                                    std::size_t index,
                                                    const ContractCatalog& catalog) {
    std::string who = "provider #" + std::to_string(index);
    try {
        if (desc == nullptr) {
            throw DescriptorProblem("descriptor pointer is NULL");
        }
        auto copy = copy_struct(desc, kProviderDescMinSize);
        if (!copy) {
            throw DescriptorProblem("sb_provider_desc is truncated: struct_size " +
                                    std::to_string(declared_size(desc)) +
                                    " is smaller than the " +
                                    std::to_string(kProviderDescMinSize) +
                                    " bytes ABI 1.0 requires");
        }
        std::string id = required_string(copy->id, "id");
        if (!is_provider_id(id)) {
            throw DescriptorProblem("id '" + id + "' must be 1 to 64 characters from [a-z0-9_]");
        }
        who = "provider '" + id + "'";
        ProviderDescriptor d = read(*copy, catalog);
        d.policy = generic_provider_policy(id); // until the plugin's policy says more
        d.id = std::move(id);
        return d;
    } catch (const DescriptorProblem& e) {
        return Error(ErrorKind::invalid_input, e.code, who + ": " + e.what());
    }
}

std::string_view to_string(RevokeStyle style) noexcept {
    switch (style) {
    case RevokeStyle::none: return "none";
    case RevokeStyle::post_form: return "post_form";
    case RevokeStyle::delete_path: return "delete_path";
    }
    return "none";
}

std::string_view to_string(ClientAuth auth) noexcept {
    return auth == ClientAuth::basic ? "basic" : "post";
}

} // namespace switchboard::plugin
