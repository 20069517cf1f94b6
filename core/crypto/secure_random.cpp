#include "core/crypto/secure_random.hpp"

#include "core/crypto/base64url.hpp"

#include <openssl/rand.h>

#include <algorithm>
#include <array>
#include <climits>

namespace switchboard::crypto {

Result<void> fill_random(std::span<std::uint8_t> out) {
    // RAND_bytes takes an int; secrets here are small, but never truncate silently.
    while (!out.empty()) {
        const std::size_t chunk = std::min<std::size_t>(out.size(), INT_MAX);
        if (RAND_bytes(out.data(), static_cast<int>(chunk)) != 1) {
            return Error(ErrorKind::internal, "random_unavailable",
                         "the system random number generator failed");
        }
        out = out.subspan(chunk);
    }
    return {};
}

Result<std::vector<std::uint8_t>> random_bytes(std::size_t count) {
    std::vector<std::uint8_t> bytes(count);
    if (auto filled = fill_random(bytes); !filled) return filled.error();
    return bytes;
}

Result<std::string> random_token(std::size_t count) {
    auto bytes = random_bytes(count);
    if (!bytes) return bytes.error();
    return base64url_encode(*bytes, Base64Padding::strip);
}

Result<std::string> random_uuid() {
    std::array<std::uint8_t, 16> bytes{};
    if (auto filled = fill_random(bytes); !filled) return filled.error();
    bytes[6] = static_cast<std::uint8_t>((bytes[6] & 0x0fu) | 0x40u); // version 4
    bytes[8] = static_cast<std::uint8_t>((bytes[8] & 0x3fu) | 0x80u); // RFC 4122 variant
    static constexpr char hex[] = "0123456789abcdef";
    std::string out;
    out.reserve(36);
    for (std::size_t i = 0; i < bytes.size(); ++i) {
        if (i == 4 || i == 6 || i == 8 || i == 10) out.push_back('-');
        out.push_back(hex[bytes[i] >> 4]);
        out.push_back(hex[bytes[i] & 0x0fu]);
    }
    return out;
}

} // namespace switchboard::crypto
