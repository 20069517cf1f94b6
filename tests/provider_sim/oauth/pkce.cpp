#include "tests/provider_sim/oauth/pkce.hpp"

#include "tests/provider_sim/common/base64.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include <algorithm>

namespace switchboard::sim {

std::string pkce_s256_challenge(std::string_view verifier) {
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    EVP_Digest(verifier.data(), verifier.size(), digest, &length, EVP_sha256(), nullptr);
    return base64url_encode(std::string_view(reinterpret_cast<const char*>(digest), length));
}

bool pkce_verifier_well_formed(std::string_view verifier) {
    return verifier.size() >= 43 && verifier.size() <= 128 &&
           std::all_of(verifier.begin(), verifier.end(), [](char c) {
               return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                      c == '-' || c == '.' || c == '_' || c == '~';
           });
}

bool pkce_verify(std::string_view method, std::string_view challenge, std::string_view verifier) {
    if (!pkce_verifier_well_formed(verifier)) {
        return false;
    }
    const std::string expected = method == "S256" ? pkce_s256_challenge(verifier) : std::string(verifier);
    return expected.size() == challenge.size() &&
           CRYPTO_memcmp(expected.data(), challenge.data(), expected.size()) == 0;
}

} // namespace switchboard::sim
