#include "core/crypto/digest.hpp"

#include <openssl/evp.h>

namespace switchboard::crypto {

Result<std::array<std::uint8_t, 32>> sha256(std::string_view data) {
    std::array<std::uint8_t, 32> digest{};
    unsigned int size = 0;
    if (EVP_Digest(data.data(), data.size(), digest.data(), &size, EVP_sha256(), nullptr) != 1 ||
        size != digest.size()) {
        return Error(ErrorKind::internal, "crypto_failure", "the OpenSSL SHA-256 operation failed");
    }
    return digest;
}

Result<std::string> sha256_hex(std::string_view data) {
    auto digest = sha256(data);
    if (!digest) return digest.error();
    static constexpr char hex[] = "0123456789abcdef";
    std::string out;
    out.reserve(64);
    for (std::uint8_t byte : *digest) {
        out.push_back(hex[byte >> 4]);
        out.push_back(hex[byte & 0x0fu]);
    }
    return out;
}

} // namespace switchboard::crypto
