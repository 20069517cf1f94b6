#include "core/connectors/proxy_target.hpp"

#include <boost/url/parse.hpp>
#include <boost/url/pct_string_view.hpp>

#include <algorithm>
#include <cctype>

namespace switchboard::connectors {
namespace {

constexpr std::size_t max_path_bytes = 8192;
constexpr std::size_t max_query_bytes = 16384;

Error bad_path(const std::string& why) {
    return Error(ErrorKind::invalid_input, "invalid_proxy_path", "the proxied path " + why,
                 "path");
}

Error bad_query(const std::string& why) {
    return Error(ErrorKind::invalid_input, "invalid_proxy_query", "the proxied query " + why,
                 "query");
}

// RFC 3986 pchar, with '%' for the escapes (checked separately).
bool is_path_char(char c) {
    static constexpr std::string_view extra = "-._~!$&'()*+,;=:@%";
    return std::isalnum(static_cast<unsigned char>(c)) || extra.find(c) != std::string_view::npos;
}

bool is_query_char(char c) {
    return is_path_char(c) || c == '/' || c == '?';
}

std::string lower(std::string_view text) {
    std::string out(text);
    std::transform(out.begin(), out.end(), out.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return out;
}

// The decoded form of a percent-encoded piece; nullopt when an escape is malformed.
std::optional<std::string> decoded(std::string_view encoded) {
    const auto view = boost::urls::make_pct_string_view(encoded);
    if (!view) {
        return std::nullopt;
    }
    return view->decode();
}

Result<void> check_segment(std::string_view segment, bool first) {
    if (!std::all_of(segment.begin(), segment.end(), is_path_char)) {
        return bad_path("has a character that must be percent-encoded (a space, a backslash, "
                        "a control character...)");
    }
    const auto plain = decoded(segment);
    if (!plain) {
        return bad_path("has a malformed percent-encoding");
    }
    if (*plain == "." || *plain == "..") {
        return bad_path("has a '.' or '..' segment, which would climb out of the API base");
    }
    for (const char c : *plain) {
        if (c == '/' || c == '\\') {
            return bad_path("encodes a '/' or '\\' inside a segment");
        }
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
            return bad_path("encodes a control character");
        }
    }
    // "https:" first: the caller means an absolute URL, which the proxy never follows.
    if (first) {
        const auto colon = plain->find(':');
        const bool scheme = colon != std::string::npos && colon > 0 &&
                            std::isalpha(static_cast<unsigned char>((*plain)[0])) &&
                            std::all_of(plain->begin(), plain->begin() + static_cast<long>(colon),
                                        [](char c) {
                                            return std::isalnum(static_cast<unsigned char>(c)) ||
                                                   c == '+' || c == '-' || c == '.';
                                        });
        if (scheme) {
            return bad_path("starts with a URL scheme: give a path relative to the provider's "
                            "API, not an absolute URL");
        }
    }
    return {};
}

Result<void> check_path(std::string_view path) {
    if (path.empty()) {
        return bad_path("is empty");
    }
    if (path.size() > max_path_bytes) {
        return bad_path("is longer than " + std::to_string(max_path_bytes) + " bytes");
    }
    std::size_t start = 0;
    for (bool first = true;; first = false) {
        const auto slash = path.find('/', start);
        const auto segment = path.substr(start, slash == std::string_view::npos ? slash
                                                                                : slash - start);
        const bool last = slash == std::string_view::npos;
        if (segment.empty()) {
            // One trailing '/' is a path's own business; any other empty segment ("//x")
            // could be read as a network path naming another host.
            if (first || !last) {
                return bad_path("has an empty segment ('//'), which could name another host");
            }
        } else if (auto checked = check_segment(segment, first); !checked) {
            return checked.error();
        }
        if (last) {
            return {};
        }
        start = slash + 1;
    }
}

Result<void> check_query(std::string_view query) {
    if (query.size() > max_query_bytes) {
        return bad_query("is longer than " + std::to_string(max_query_bytes) + " bytes");
    }
    if (!std::all_of(query.begin(), query.end(), is_query_char)) {
        return bad_query("has a character that must be percent-encoded");
    }
    if (!decoded(query)) {
        return bad_query("has a malformed percent-encoding");
    }
    return {};
}

} // namespace

bool url_is_under(std::string_view url, std::string_view base) {
    const auto u = boost::urls::parse_uri(url);
    const auto b = boost::urls::parse_uri(base);
    if (!u || !b || u->has_userinfo() || b->has_userinfo()) {
        return false;
    }
    if (lower(u->scheme()) != lower(b->scheme()) ||
        lower(u->encoded_host()) != lower(b->encoded_host()) ||
        u->port_number() != b->port_number() || u->has_port() != b->has_port()) {
        return false;
    }
    std::string_view base_path = b->encoded_path();
    while (base_path.ends_with('/')) {
        base_path.remove_suffix(1);
    }
    const std::string_view path = u->encoded_path();
    return base_path.empty() || path == base_path ||
           (path.starts_with(base_path) && path[base_path.size()] == '/');
}

Result<std::string> proxy_target(const plugin::ProviderDescriptor& provider, std::string_view path,
                                 std::string_view query) {
    if (auto checked = check_path(path); !checked) {
        return checked.error();
    }
    if (auto checked = check_query(query); !checked) {
        return checked.error();
    }
    std::string url = provider.api_base_url + "/" + std::string(path);
    if (!query.empty()) {
        url += "?" + std::string(query);
    }
    // Checked again as a whole, by a URL parser, against every allowed base.
    const auto parsed = boost::urls::parse_uri(url);
    const bool allowed =
        parsed && std::any_of(provider.allowed_base_urls.begin(), provider.allowed_base_urls.end(),
                              [&url](const std::string& base) { return url_is_under(url, base); });
    if (!allowed) {
        return Error(ErrorKind::forbidden, "proxy_target_not_allowed",
                     "provider '" + provider.id + "' does not let the proxy reach that path; "
                     "it allows paths under: " +
                         [&provider] {
                             std::string list;
                             for (const auto& base : provider.allowed_base_urls) {
                                 const auto rest = base.substr(
                                     std::min(base.size(), provider.api_base_url.size()));
                                 list += (list.empty() ? "" : ", ") +
                                         (base.starts_with(provider.api_base_url)
                                              ? (rest.empty() ? std::string("/") : rest)
                                              : base);
                             }
                             return list;
                         }(),
                     "path");
    }
    return url;
}

} // namespace switchboard::connectors
