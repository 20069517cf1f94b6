// Public keys from a JSON Web Key Set (RFC 7517) for RS256 and ES256 verification.
#pragma once

#include "core/common/error.hpp"

#include <openssl/evp.h>

#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace switchboard::auth {

enum class KeyType { rsa, ec_p256 };

struct PublicKey {
    std::string kid;             // may be empty
    KeyType type = KeyType::rsa;
    std::string alg;             // the JWK's "alg" if it had one ("RS256", "ES256"), else empty
    std::shared_ptr<EVP_PKEY> key;
};

// Parses a JWKS document. Keeps RSA keys of at least 2048 bits and EC keys on P-256 whose
// "use" is absent or "sig"; skips other key types and encryption keys (an "oct" key in
// particular is never used: an HMAC secret only comes from the configured secret). A key of
// a kept type with bad material is an error naming its kid. Errors: invalid_input, code
// invalid_jwks.
Result<std::vector<PublicKey>> parse_jwks(std::string_view json);

// Reads and parses a JWKS file (at most 1 MiB).
Result<std::vector<PublicKey>> load_jwks_file(const std::string& path);

} // namespace switchboard::auth
