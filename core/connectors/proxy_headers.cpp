#include "core/connectors/proxy_headers.hpp"

#include "core/connectors/proxy_target.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <string>

namespace switchboard::connectors {
namespace {

std::string lower_ascii(std::string_view text) {
    std::string out(text);
    std::transform(out.begin(), out.end(), out.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return out;
}

std::string trim(std::string_view text) {
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
    return std::string(text);
}

// Hop-by-hop fields (RFC 9110 section 7.6.1) and the framing of each hop.
constexpr std::array<std::string_view, 12> hop_by_hop = {
    "connection", "keep-alive",          "proxy-connection", "te",
    "trailer",    "transfer-encoding",   "upgrade",          "proxy-authenticate",
    "proxy-authorization", "content-length", "host",         "expect"};

// Besides these, each provider's own credential fields (its policy's credential_headers).
constexpr std::array<std::string_view, 12> not_to_provider = {
    "authorization", "cookie",          "cookie2",          "x-api-key",
    "origin",        "referer",         "forwarded",        "x-forwarded-for",
    "x-forwarded-host", "x-forwarded-proto", "x-real-ip",   "x-request-id"};

constexpr std::array<std::string_view, 7> not_to_caller = {
    "set-cookie", "set-cookie2", "www-authenticate", "authorization",
    "alt-svc",    "strict-transport-security", "clear-site-data"};

template <std::size_t N>
bool listed(const std::array<std::string_view, N>& list, std::string_view name) {
    return std::find(list.begin(), list.end(), name) != list.end();
}

// The field names a Connection header lists (hop-by-hop for this hop only).
std::vector<std::string> connection_tokens(const http::HttpHeaders& headers) {
    std::vector<std::string> out;
    for (const auto& [name, value] : headers) {
        if (lower_ascii(name) != "connection") continue;
        std::string_view rest = value;
        while (!rest.empty()) {
            const auto comma = rest.find(',');
            out.push_back(lower_ascii(trim(rest.substr(0, comma))));
            rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
        }
    }
    return out;
}

bool named_in(const std::vector<std::string>& tokens, const std::string& name) {
    return std::find(tokens.begin(), tokens.end(), name) != tokens.end();
}

} // namespace

http::HttpHeaders headers_to_provider(const http::HttpHeaders& caller_headers,
                                      const std::vector<std::string>& credential_headers) {
    const auto tokens = connection_tokens(caller_headers);
    http::HttpHeaders out;
    for (const auto& [name, value] : caller_headers) {
        const std::string key = lower_ascii(name);
        if (listed(hop_by_hop, key) || listed(not_to_provider, key) || named_in(tokens, key) ||
            named_in(credential_headers, key) || key.starts_with("x-switchboard-")) {
            continue;
        }
        out.emplace_back(name, value);
    }
    return out;
}

http::HttpHeaders headers_to_caller(const http::HttpHeaders& provider_headers,
                                    std::string_view api_base_url,
                                    const std::vector<std::string>& allowed_base_urls,
                                    std::string_view mount_path) {
    const auto tokens = connection_tokens(provider_headers);
    http::HttpHeaders out;
    for (const auto& header : provider_headers) {
        // Not a structured binding: clang 14 cannot capture one in the lambda below.
        const std::string& value = header.second;
        const std::string key = lower_ascii(header.first);
        if (listed(hop_by_hop, key) || listed(not_to_caller, key) || named_in(tokens, key) ||
            key.starts_with("access-control-")) {
            continue;
        }
        if (key == "location" && value.starts_with(api_base_url) &&
            value.size() > api_base_url.size() && value[api_base_url.size()] == '/' &&
            std::any_of(allowed_base_urls.begin(), allowed_base_urls.end(),
                        [&value](const std::string& base) { return url_is_under(value, base); })) {
            out.emplace_back(key, std::string(mount_path) + value.substr(api_base_url.size()));
            continue;
        }
        out.emplace_back(key, value);
    }
    return out;
}

} // namespace switchboard::connectors
