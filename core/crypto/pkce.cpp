#include "core/crypto/pkce.hpp"

#include "core/crypto/base64url.hpp"
#include "core/crypto/digest.hpp"
#include "core/crypto/secure_random.hpp"

#include <algorithm>

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
    auto digest = sha256(verifier);
    if (!digest) return digest.error();
    return base64url_encode(*digest, Base64Padding::strip);
}

Result<PkcePair> Pkce::generate() {
    auto verifier = random_token(verifier_entropy_bytes);
    if (!verifier) return verifier.error();
    auto challenge_value = challenge(*verifier);
    if (!challenge_value) return challenge_value.error();
    return PkcePair{std::move(*verifier), std::move(*challenge_value)};
}

} // namespace switchboard::crypto
