#include "core/config/sections.hpp"

namespace switchboard::config::detail {

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

ProviderConfig parse_provider(const ConfigSection& s) {
    ProviderConfig c;
    c.enabled = s.boolean("enabled").value_or(true);
    if (auto mode = s.choice("mode", {"in_process", "isolated"})) {
        c.mode = *mode == "isolated" ? PluginMode::isolated : PluginMode::in_process;
    }
    if (auto library = s.string("library")) {
        // A file of the plugins directory, named: a path could reach any file on the host.
        const bool plain_name = library->find('/') == std::string::npos && *library != "." &&
                                *library != ".." && library->find('\0') == std::string::npos;
        if (!plain_name || !library->ends_with(".so")) {
            s.fail("library", "must be the file name of a library in the plugins directory "
                              "(e.g. \"hubspot.so\"), without a path");
        }
        c.library = *library;
    }
    c.call_timeout_ms = s.integer_as<std::uint32_t>("call_timeout_ms", 10, 600'000)
                            .value_or(c.call_timeout_ms);
    c.processes = s.integer_as<std::uint32_t>("processes", 1, 64).value_or(c.processes);
    c.start_timeout_ms = s.integer_as<std::uint32_t>("start_timeout_ms", 100, 600'000)
                             .value_or(c.start_timeout_ms);
    c.restart_backoff_ms = s.integer_as<std::uint32_t>("restart_backoff_ms", 10, 60'000)
                               .value_or(c.restart_backoff_ms);
    // Left empty when not named: the default depends on the provider's plugin (its policy's
    // credential prefix), which the plugin loader applies.
    c.client_id_env = s.env_name("client_id_env").value_or("");
    c.client_secret_env = s.env_name("client_secret_env").value_or("");
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
                               {"enabled", "mode", "library", "call_timeout_ms", "processes",
                                "start_timeout_ms", "restart_backoff_ms", "client_id_env",
                                "client_secret_env", "overrides"});
        providers.emplace(id, parse_provider(provider));
    }
    return providers;
}

} // namespace switchboard::config::detail
