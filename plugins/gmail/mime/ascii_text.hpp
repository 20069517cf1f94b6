// Small ASCII text helpers the MIME code shares.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace switchboard::plugins::gmail::mime {

// The digits of the "=XX" escapes (quoted-printable, Q-encoding), upper case as RFC 2045 wants.
inline constexpr char hex_digits[] = "0123456789ABCDEF";

// Equal ignoring ASCII case (header names, month and zone names).
inline bool iequals(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    const auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; };
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (lower(a[i]) != lower(b[i])) return false;
    }
    return true;
}

// `text` as an RFC 5322 quoted-string: in double quotes, '"' and '\' escaped.
inline std::string quoted_string(std::string_view text) {
    std::string out = "\"";
    for (const char c : text) {
        if (c == '"' || c == '\\') out.push_back('\\');
        out.push_back(c);
    }
    out.push_back('"');
    return out;
}

} // namespace switchboard::plugins::gmail::mime
