#include "core/config/sections.hpp"

namespace switchboard::config_detail {

namespace {

bool is_provider_id(std::string_view id) {
    if (id.empty() || id.size() > 64) {
        return false;
    }
    for (char c : id) {
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) {
            return false;
        }
    }
    return true;
}

ProviderConfig parse_provider(const ConfigSection& s, const std::string& id) {
    ProviderConfig c;
    c.enabled = s.boolean("enabled").value_or(true);
    if (auto mode = s.choice("mode", {"in_process", "isolated"}); mode && *mode == "isolated") {
        s.fail("mode", "unsupported: isolated mode (a supervised plugin-host process) is not "
                       "available in this build; use in_process");
    }
    std::string prefix = default_credential_prefix(id);
    c.client_id_env = s.env_name("client_id_env").value_or(prefix + "_CLIENT_ID");
    c.client_secret_env = s.env_name("client_secret_env").value_or(prefix + "_CLIENT_SECRET");
    if (auto o = s.section("overrides", {"api_base_url", "authorize_url", "token_url",
                                         "revoke_url", "identity_url"})) {
        c.overrides.api_base_url = o->http_url("api_base_url");
        c.overrides.authorize_url = o->http_url("authorize_url");
        c.overrides.token_url = o->http_url("token_url");
        c.overrides.revoke_url = o->http_url("revoke_url", {"{token}"});
        c.overrides.identity_url = o->http_url("identity_url", {"{access_token}"});
    }
    return c;
}

} // namespace

std::map<std::string, ProviderConfig> parse_providers_section(const ConfigSection& s) {
    std::map<std::string, ProviderConfig> providers;
    for (const auto& [id, value] : s.json().items()) {
        if (!is_provider_id(id)) {
            s.fail(id, "a provider id must be 1 to 64 characters from a-z, 0-9 and _");
        }
        ConfigSection provider(value, s.path_of(id),
                               {"enabled", "mode", "client_id_env", "client_secret_env",
                                "overrides"});
        providers.emplace(id, parse_provider(provider, id));
    }
    return providers;
}

} // namespace switchboard::config_detail
