#include "core/crypto/base64url.hpp"

#include <openssl/evp.h>

#include <algorithm>

namespace switchboard::crypto {
namespace {

bool is_base64url_char(char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '_';
}

// Index of a base64 character in the alphabet; only used to check the trailing bits.
unsigned alphabet_index(char c) {
    if (c >= 'A' && c <= 'Z') return static_cast<unsigned>(c - 'A');
    if (c >= 'a' && c <= 'z') return static_cast<unsigned>(c - 'a' + 26);
    if (c >= '0' && c <= '9') return static_cast<unsigned>(c - '0' + 52);
    return c == '-' ? 62u : 63u;
}

} // namespace

std::string base64url_encode(std::span<const std::uint8_t> bytes, Base64Padding padding) {
    std::string out(4 * ((bytes.size() + 2) / 3), '\0');
    if (!bytes.empty()) {
        // EVP_EncodeBlock writes the standard alphabet, padded, NUL-terminated.
        std::string buffer(out.size() + 1, '\0');
        const int written = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(buffer.data()),
                                            bytes.data(), static_cast<int>(bytes.size()));
        out.assign(buffer.data(), static_cast<std::size_t>(written));
    }
    std::replace(out.begin(), out.end(), '+', '-');
    std::replace(out.begin(), out.end(), '/', '_');
    if (padding == Base64Padding::strip) {
        while (!out.empty() && out.back() == '=') out.pop_back();
    }
    return out;
}

std::optional<std::vector<std::uint8_t>> base64url_decode(std::string_view text) {
    // Strip the padding, then insist that what remains is alphabet only and that the
    // padding (if any) brought the length to a multiple of four.
    std::size_t padded = 0;
    std::string_view body = text;
    while (!body.empty() && body.back() == '=') {
        body.remove_suffix(1);
        ++padded;
    }
    if (padded > 2) return std::nullopt;
    if (padded > 0 && text.size() % 4 != 0) return std::nullopt;
    if (body.size() % 4 == 1) return std::nullopt;
    if (!std::all_of(body.begin(), body.end(), is_base64url_char)) return std::nullopt;
    if (padded > 0 && (body.size() + padded) % 4 != 0) return std::nullopt;

    // The unused low bits of the last character must be zero (canonical encoding).
    const std::size_t tail = body.size() % 4;
    if (tail == 2 && (alphabet_index(body.back()) & 0x0fu) != 0) return std::nullopt;
    if (tail == 3 && (alphabet_index(body.back()) & 0x03u) != 0) return std::nullopt;

    std::string standard(body);
    std::replace(standard.begin(), standard.end(), '-', '+');
    std::replace(standard.begin(), standard.end(), '_', '/');
    const std::size_t missing = (4 - standard.size() % 4) % 4;
    standard.append(missing, '=');
    if (standard.empty()) return std::vector<std::uint8_t>{};

    std::vector<std::uint8_t> out(standard.size() / 4 * 3);
    const int decoded =
        EVP_DecodeBlock(out.data(), reinterpret_cast<const unsigned char*>(standard.data()),
                        static_cast<int>(standard.size()));
    if (decoded < 0) return std::nullopt;
    // EVP_DecodeBlock counts the bytes the padding stands for; drop them.
    out.resize(static_cast<std::size_t>(decoded) - missing);
    return out;
}

} // namespace switchboard::crypto
