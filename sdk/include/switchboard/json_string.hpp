// switchboard/json_string.hpp — writing a JSON string literal, the one piece of JSON the SDK
// must produce itself (error objects). Plugins that build larger documents use whatever JSON
// library they like; the SDK deals in std::string.
#pragma once

#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>

namespace switchboard::sdk {

namespace detail {

// Length of the well-formed UTF-8 sequence (RFC 3629) starting at text[i], or 0 when the
// bytes there are not one (overlong forms, surrogates, code points above U+10FFFF and
// truncated sequences are all ill-formed).
inline std::size_t utf8_sequence_length(std::string_view text, std::size_t i) noexcept {
    const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
    const auto continuation = [&](std::size_t k, unsigned char lo = 0x80, unsigned char hi = 0xBF) {
        return k < text.size() && byte(k) >= lo && byte(k) <= hi;
    };
    const unsigned char b0 = byte(i);
    if (b0 < 0x80) return 1;
    if (b0 >= 0xC2 && b0 <= 0xDF) return continuation(i + 1) ? 2 : 0;
    if (b0 >= 0xE0 && b0 <= 0xEF) {
        const unsigned char lo = b0 == 0xE0 ? 0xA0 : 0x80;
        const unsigned char hi = b0 == 0xED ? 0x9F : 0xBF;
        return continuation(i + 1, lo, hi) && continuation(i + 2) ? 3 : 0;
    }
    if (b0 >= 0xF0 && b0 <= 0xF4) {
        const unsigned char lo = b0 == 0xF0 ? 0x90 : 0x80;
        const unsigned char hi = b0 == 0xF4 ? 0x8F : 0xBF;
        return continuation(i + 1, lo, hi) && continuation(i + 2) && continuation(i + 3) ? 4 : 0;
    }
    return 0;
}

} // namespace detail

// Appends `text` to `out` as a JSON string literal, quotes included (RFC 8259 §7).
// Quotation mark, reverse solidus and control characters are escaped; every ill-formed UTF-8
// byte becomes U+FFFD, so the output is valid JSON whatever the input. At most
// `max_code_points` code points of `text` are kept (JSON Schema's maxLength counts code
// points), cut on a code point boundary.
inline void append_json_string(std::string& out, std::string_view text,
                               std::size_t max_code_points = std::numeric_limits<std::size_t>::max()) {
    static constexpr char hex[] = "0123456789abcdef";
    out.push_back('"');
    std::size_t code_points = 0;
    for (std::size_t i = 0; i < text.size() && code_points < max_code_points; ++code_points) {
        const std::size_t length = detail::utf8_sequence_length(text, i);
        if (length == 0) {
            out += "\\ufffd";
            ++i;
            continue;
        }
        if (length > 1) {
            out.append(text.substr(i, length));
            i += length;
            continue;
        }
        const char c = text[i++];
        switch (c) {
        case '"': out += "\\\""; break;
        case '\\': out += "\\\\"; break;
        case '\b': out += "\\b"; break;
        case '\f': out += "\\f"; break;
        case '\n': out += "\\n"; break;
        case '\r': out += "\\r"; break;
        case '\t': out += "\\t"; break;
        default:
            if (static_cast<unsigned char>(c) < 0x20) {
                const auto u = static_cast<unsigned char>(c);
                out += "\\u00";
                out.push_back(hex[u >> 4]);
                out.push_back(hex[u & 0x0F]);
            } else {
                out.push_back(c);
            }
        }
    }
    out.push_back('"');
}

// `text` as a JSON string literal, quotes included. See append_json_string.
inline std::string json_string(std::string_view text) {
    std::string out;
    out.reserve(text.size() + 2);
    append_json_string(out, text);
    return out;
}

} // namespace switchboard::sdk
