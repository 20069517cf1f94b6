#include "core/crypto/pkce.hpp"

#include "core/crypto/base64url.hpp"
#include "core/crypto/secure_random.hpp"

#include <openssl/evp.h>

#include <algorithm>
#include <array>

namespace switchboard::crypto {

bool Pkce::is_valid_verifier(std::string_view verifier) {
    if (verifier.size() < 43 || verifier.size() > 128) return false;
    return std::all_of(verifier.begin(), verifier.end(), [](char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
               c == '-' || c == '.' || c == '_' || c == '~';
    });
}

Result<std::string> Pkce::challenge(std::string_view verifier) {
    if (!is_valid_verifier(verifier)) {
        return Error(ErrorKind::invalid_input, "invalid_code_verifier",
                     "code_verifier must be 43 to 128 characters of [A-Za-z0-9-._~]",
                     "code_verifier");
    }
    std::array<std::uint8_t, 32> digest{};
    unsigned int digest_size = 0;
    if (EVP_Digest(verifier.data(), verifier.size(), digest.data(), &digest_size, EVP_sha256(),
                   nullptr) != 1 ||
        digest_size != digest.size()) {
        return Error(ErrorKind::internal, "crypto_failure", "the OpenSSL SHA-256 operation failed");
    }
    return base64url_encode(digest, Base64Padding::strip);
}

Result<PkcePair> Pkce::generate() {
    auto verifier = random_token(verifier_entropy_bytes);
    if (!verifier) return verifier.error();
    auto challenge_value = challenge(*verifier);
    if (!challenge_value) return challenge_value.error();
    return PkcePair{std::move(*verifier), std::move(*challenge_value)};
}

} // namespace switchboard::crypto
