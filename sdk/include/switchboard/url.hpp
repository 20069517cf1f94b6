// switchboard/url.hpp — building the percent-encoded request paths the host expects.
#pragma once

#include <string>
#include <string_view>

namespace switchboard::sdk {

// Percent-encodes `text` for use as one path segment or one query name/value: every byte
// outside RFC 3986's unreserved set (ALPHA / DIGIT / "-" / "." / "_" / "~") becomes %XX, so
// '/', '?', '&', '=', '+', '@' and spaces cannot change the request's structure.
inline std::string percent_encode(std::string_view text) {
    static constexpr char hex[] = "0123456789ABCDEF";
    std::string out;
    out.reserve(text.size());
    for (const char c : text) {
        const auto u = static_cast<unsigned char>(c);
        const bool unreserved = (u >= 'A' && u <= 'Z') || (u >= 'a' && u <= 'z') ||
                                (u >= '0' && u <= '9') || u == '-' || u == '.' || u == '_' ||
                                u == '~';
        if (unreserved) {
            out.push_back(c);
        } else {
            out.push_back('%');
            out.push_back(hex[u >> 4]);
            out.push_back(hex[u & 0x0F]);
        }
    }
    return out;
}

// A query string built parameter by parameter, each name and value percent-encoded:
//   path + Query().add("maxResults", "50").add("q", "team sync").str()
//   -> "/events?maxResults=50&q=team%20sync"
class Query {
public:
    Query& add(std::string_view name, std::string_view value) {
        text_.push_back(text_.empty() ? '?' : '&');
        text_ += percent_encode(name);
        text_.push_back('=');
        text_ += percent_encode(value);
        return *this;
    }

    // "" when no parameter was added, "?a=b&c=d" otherwise.
    const std::string& str() const noexcept { return text_; }

private:
    std::string text_;
};

} // namespace switchboard::sdk
