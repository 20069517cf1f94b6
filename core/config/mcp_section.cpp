#include "core/config/sections.hpp"

#include <boost/url/parse.hpp>

namespace switchboard::config::detail {

namespace {

// An origin as browsers send it: scheme "://" host [":" port], nothing after.
bool is_origin(const std::string& text) {
    auto url = boost::urls::parse_absolute_uri(text);
    if (!url || (url->scheme() != "http" && url->scheme() != "https") || !url->has_authority() ||
        url->host().empty() || url->has_userinfo() || url->has_query() || url->has_fragment()) {
        return false;
    }
    return url->encoded_path().empty();
}

} // namespace

McpConfig parse_mcp_section(const ConfigSection& s) {
    McpConfig c;
    if (auto origins = s.strings("allowed_origins")) {
        for (const auto& origin : *origins) {
            if (!is_origin(origin)) {
                s.fail("allowed_origins", "'" + origin + "' is not an origin like "
                                          "https://app.example.com (scheme, host, optional "
                                          "port, no path or trailing slash)");
            }
        }
        c.allowed_origins = std::move(*origins);
    }
    c.session_idle_timeout_seconds =
        s.integer_as<std::uint32_t>("session_idle_timeout_seconds", 60, 7 * 86'400)
            .value_or(c.session_idle_timeout_seconds);
    c.max_sessions =
        s.integer_as<std::uint32_t>("max_sessions", 1, 1'000'000).value_or(c.max_sessions);
    return c;
}

} // namespace switchboard::config::detail
