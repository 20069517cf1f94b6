#include "core/crypto/base64url.hpp"

#include <array>

namespace switchboard::crypto {
namespace {

// Written out rather than done with OpenSSL's EVP_EncodeBlock/EVP_DecodeBlock: those speak
// the standard alphabet, so each call needed a translated copy and a separate validation
// pass, which made decoding 40% of a Fernet decrypt (tests/bench/bench_fernet.cpp).
// tests/crypto/base64url_test.cpp checks both directions against OpenSSL's.
constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

constexpr std::uint8_t kInvalid = 0xff;

constexpr std::array<std::uint8_t, 256> make_sextets() {
    std::array<std::uint8_t, 256> table{};
    for (auto& entry : table) {
        entry = kInvalid;
    }
    for (std::uint8_t i = 0; i < 64; ++i) {
        table[static_cast<unsigned char>(kAlphabet[i])] = i;
    }
    return table;
}

constexpr std::array<std::uint8_t, 256> kSextets = make_sextets();

std::uint8_t sextet(char c) {
    return kSextets[static_cast<unsigned char>(c)];
}

} // namespace

std::string base64url_encode(std::span<const std::uint8_t> bytes, Base64Padding padding) {
    const std::size_t whole = bytes.size() / 3;
    const std::size_t rest = bytes.size() % 3;
    std::size_t size = whole * 4;
    if (rest != 0) {
        size += padding == Base64Padding::keep ? 4 : rest + 1;
    }
    std::string out(size, '\0');
    char* o = out.data();
    const std::uint8_t* in = bytes.data();
    for (std::size_t i = 0; i < whole; ++i, in += 3) {
        const std::uint32_t v = (std::uint32_t{in[0]} << 16) | (std::uint32_t{in[1]} << 8) | in[2];
        *o++ = kAlphabet[(v >> 18) & 0x3f];
        *o++ = kAlphabet[(v >> 12) & 0x3f];
        *o++ = kAlphabet[(v >> 6) & 0x3f];
        *o++ = kAlphabet[v & 0x3f];
    }
    if (rest != 0) {
        const std::uint32_t v = (std::uint32_t{in[0]} << 16) | (rest == 2 ? std::uint32_t{in[1]} << 8 : 0);
        *o++ = kAlphabet[(v >> 18) & 0x3f];
        *o++ = kAlphabet[(v >> 12) & 0x3f];
        if (rest == 2) {
            *o++ = kAlphabet[(v >> 6) & 0x3f];
        }
        if (padding == Base64Padding::keep) {
            *o++ = '=';
            if (rest == 1) {
                *o++ = '=';
            }
        }
    }
    return out;
}

std::optional<std::size_t> base64url_decode_into(std::string_view text,
                                                 std::span<std::uint8_t> out) {
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
    const std::size_t tail = body.size() % 4;
    if (tail == 1) return std::nullopt;
    if (padded > 0 && (body.size() + padded) % 4 != 0) return std::nullopt;
    const std::size_t size = body.size() / 4 * 3 + (tail == 0 ? 0 : tail - 1);
    if (out.size() < size) return std::nullopt;

    std::uint8_t* o = out.data();
    const char* in = body.data();
    for (std::size_t i = 0; i < body.size() / 4; ++i, in += 4) {
        const std::uint8_t a = sextet(in[0]);
        const std::uint8_t b = sextet(in[1]);
        const std::uint8_t c = sextet(in[2]);
        const std::uint8_t d = sextet(in[3]);
        if (((a | b | c | d) & kInvalid & ~0x3fu) != 0) { // a sextet is below 64
            return std::nullopt;
        }
        const std::uint32_t v = (std::uint32_t{a} << 18) | (std::uint32_t{b} << 12) |
                                (std::uint32_t{c} << 6) | d;
        *o++ = static_cast<std::uint8_t>(v >> 16);
        *o++ = static_cast<std::uint8_t>(v >> 8);
        *o++ = static_cast<std::uint8_t>(v);
    }
    if (tail != 0) {
        const std::uint8_t a = sextet(in[0]);
        const std::uint8_t b = sextet(in[1]);
        const std::uint8_t c = tail == 3 ? sextet(in[2]) : 0;
        if (((a | b | c) & kInvalid & ~0x3fu) != 0) return std::nullopt;
        // The unused low bits of the last character must be zero (canonical encoding).
        if ((tail == 2 && (b & 0x0fu) != 0) || (tail == 3 && (c & 0x03u) != 0)) {
            return std::nullopt;
        }
        const std::uint32_t v = (std::uint32_t{a} << 18) | (std::uint32_t{b} << 12) |
                                (std::uint32_t{c} << 6);
        *o++ = static_cast<std::uint8_t>(v >> 16);
        if (tail == 3) {
            *o++ = static_cast<std::uint8_t>(v >> 8);
        }
    }
    return size;
}

std::optional<std::vector<std::uint8_t>> base64url_decode(std::string_view text) {
    std::vector<std::uint8_t> out(base64url_decoded_capacity(text.size()));
    auto decoded = base64url_decode_into(text, out);
    if (!decoded) return std::nullopt;
    out.resize(*decoded);
    return out;
}

} // namespace switchboard::crypto
