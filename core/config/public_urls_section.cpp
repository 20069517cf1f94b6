#include "core/config/sections.hpp"

namespace switchboard::config::detail {

namespace {

std::string url_from_env(const Environment& env, const std::string& name, std::string value) {
    auto from_env = env.get(name);
    if (!from_env) {
        return value;
    }
    if (auto problem = http_url_problem(*from_env)) {
        throw ConfigError("environment variable " + name, *problem);
    }
    std::string url = *from_env;
    while (url.size() > 1 && url.back() == '/') {
        url.pop_back();
    }
    return url;
}

} // namespace

PublicUrlsConfig parse_public_urls_section(const ConfigSection* s, const ServerConfig& server,
                                           const ParseContext& context) {
    PublicUrlsConfig c;
    if (s != nullptr) {
        c.api_base_url = s->http_url("api_base_url").value_or("");
        c.frontend_url = s->http_url("frontend_url");
    }
    if (c.api_base_url.empty()) {
        bool v6 = server.listen.find(':') != std::string::npos;
        c.api_base_url = std::string(server.tls ? "https://" : "http://") + (v6 ? "[" + server.listen + "]" : server.listen) + ":" +
                         std::to_string(server.port);
    }
    c.api_base_url = url_from_env(context.env, "API_BASE_URL", c.api_base_url);
    if (context.env.get("FRONTEND_URL")) {
        c.frontend_url = url_from_env(context.env, "FRONTEND_URL", "");
    }
    return c;
}

} // namespace switchboard::config::detail
