// Base64 (RFC 4648 §4) and base64url (§5) for the Google plugins: Gmail's `raw` messages and
// body parts travel as base64url, Drive contents as standard base64 inside the category's
// JSON, and RFC 2047 "B" encoded-words use the standard alphabet.
//
// Header-only and free of any dependency so each plugin library carries its own copy (the
// plugins export nothing but their entry function). OpenSSL's EVP_EncodeBlock would do the
// standard alphabet only, needs a library the plugins do not otherwise link, and its decoder
// counts padding as data; this is small enough to own.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace switchboard::plugins::base64 {

enum class Alphabet {
    standard, // A-Z a-z 0-9 + /
    url,      // A-Z a-z 0-9 - _
};

enum class Padding {
    with,    // "=" up to a multiple of four characters
    without, // no "=" (RFC 4648 §3.2 allows it where the length is known)
};

namespace detail {

inline constexpr std::string_view standard_digits =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
inline constexpr std::string_view url_digits =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

inline constexpr std::uint8_t invalid = 0xFF;

// The 6-bit value of each character in `digits`, invalid elsewhere.
constexpr std::array<std::uint8_t, 256> make_values(std::string_view digits) {
    std::array<std::uint8_t, 256> values{};
    for (auto& v : values) v = invalid;
    for (std::size_t i = 0; i < digits.size(); ++i) {
        values[static_cast<unsigned char>(digits[i])] = static_cast<std::uint8_t>(i);
    }
    return values;
}

inline constexpr std::array<std::uint8_t, 256> standard_values = make_values(standard_digits);
inline constexpr std::array<std::uint8_t, 256> url_values = make_values(url_digits);

} // namespace detail

// The number of characters encode() produces for `size` bytes.
constexpr std::size_t encoded_size(std::size_t size, Padding padding = Padding::with) noexcept {
    if (padding == Padding::with) return (size + 2) / 3 * 4;
    return size / 3 * 4 + (size % 3 == 0 ? 0 : size % 3 + 1);
}

// `bytes` in base64 with `alphabet`, with or without padding.
inline std::string encode(std::string_view bytes, Alphabet alphabet = Alphabet::standard,
                          Padding padding = Padding::with) {
    const std::string_view digits =
        alphabet == Alphabet::standard ? detail::standard_digits : detail::url_digits;
    std::string out;
    out.reserve(encoded_size(bytes.size(), padding));
    const auto byte = [&](std::size_t i) -> std::uint32_t {
        return static_cast<unsigned char>(bytes[i]);
    };
    std::size_t i = 0;
    for (; i + 3 <= bytes.size(); i += 3) {
        const std::uint32_t v = byte(i) << 16 | byte(i + 1) << 8 | byte(i + 2);
        out.push_back(digits[v >> 18 & 0x3F]);
        out.push_back(digits[v >> 12 & 0x3F]);
        out.push_back(digits[v >> 6 & 0x3F]);
        out.push_back(digits[v & 0x3F]);
    }
    const std::size_t rest = bytes.size() - i;
    if (rest == 0) return out;
    const std::uint32_t v = byte(i) << 16 | (rest == 2 ? byte(i + 1) << 8 : 0);
    out.push_back(digits[v >> 18 & 0x3F]);
    out.push_back(digits[v >> 12 & 0x3F]);
    if (rest == 2) out.push_back(digits[v >> 6 & 0x3F]);
    if (padding == Padding::with) out.append(rest == 1 ? "==" : "=");
    return out;
}

// The bytes `text` encodes with `alphabet`, or nullopt when `text` is not base64: a character
// outside the alphabet, "=" anywhere but in the final padding, or a length no encoding has
// (4n+1 characters). Padding is optional, but when present it must complete the last group.
// Unused low bits of the last character are ignored, as most decoders do. With
// `skip_whitespace`, spaces, tabs, CR and LF anywhere are ignored (MIME bodies are wrapped).
inline std::optional<std::string> decode(std::string_view text,
                                         Alphabet alphabet = Alphabet::standard,
                                         bool skip_whitespace = false) {
    const auto& values =
        alphabet == Alphabet::standard ? detail::standard_values : detail::url_values;
    std::string out;
    out.reserve(text.size() / 4 * 3 + 3);
    std::uint32_t group = 0;
    std::size_t in_group = 0;
    std::size_t padding = 0;
    for (const char c : text) {
        if (skip_whitespace && (c == ' ' || c == '\t' || c == '\r' || c == '\n')) continue;
        if (c == '=') {
            ++padding;
            continue;
        }
        if (padding != 0) return std::nullopt; // data after padding
        const std::uint8_t v = values[static_cast<unsigned char>(c)];
        if (v == detail::invalid) return std::nullopt;
        group = group << 6 | v;
        if (++in_group == 4) {
            out.push_back(static_cast<char>(group >> 16 & 0xFF));
            out.push_back(static_cast<char>(group >> 8 & 0xFF));
            out.push_back(static_cast<char>(group & 0xFF));
            group = 0;
            in_group = 0;
        }
    }
    if (in_group == 1) return std::nullopt;
    if (padding != 0 && (in_group == 0 || in_group + padding != 4)) return std::nullopt;
    if (in_group == 2) {
        out.push_back(static_cast<char>(group >> 4 & 0xFF));
    } else if (in_group == 3) {
        out.push_back(static_cast<char>(group >> 10 & 0xFF));
        out.push_back(static_cast<char>(group >> 2 & 0xFF));
    }
    return out;
}

} // namespace switchboard::plugins::base64
