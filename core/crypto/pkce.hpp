// PKCE (RFC 7636) with the S256 method: the verifier stays with us (in the OAuth state),
// the challenge goes to the authorization endpoint.
#pragma once

#include "core/common/error.hpp"

#include <string>
#include <string_view>

namespace switchboard::crypto {

struct PkcePair {
    std::string code_verifier;  // secret: never logged
    std::string code_challenge; // BASE64URL(SHA256(verifier)), no padding
};

class Pkce {
public:
    static constexpr std::string_view method = "S256";
    // 64 random bytes give an 86-character verifier (RFC 7636 §4.1 allows 43..128).
    static constexpr std::size_t verifier_entropy_bytes = 64;

    // A fresh verifier from the CSPRNG and its S256 challenge.
    static Result<PkcePair> generate();

    // The S256 challenge of `verifier`; fails (code `invalid_code_verifier`) unless the
    // verifier is 43..128 characters of [A-Za-z0-9-._~].
    static Result<std::string> challenge(std::string_view verifier);

    static bool is_valid_verifier(std::string_view verifier);
};

} // namespace switchboard::crypto
