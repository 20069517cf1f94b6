// JWS signature checks (RFC 7515, RFC 7518 section 3) on OpenSSL EVP.
#pragma once

#include <openssl/evp.h>

#include <string_view>

namespace switchboard::auth {

// HMAC-SHA256 of `signing_input` under `secret`, compared in constant time.
bool verify_hs256(std::string_view secret, std::string_view signing_input,
                  std::string_view signature) noexcept;

// RSASSA-PKCS1-v1_5 with SHA-256. `key` must be an RSA public key.
bool verify_rs256(EVP_PKEY* key, std::string_view signing_input,
                  std::string_view signature) noexcept;

// ECDSA P-256 with SHA-256. `signature` is the JWS form: the 32-byte big-endian r followed
// by the 32-byte s (RFC 7518 section 3.4), not DER; it is converted to DER for OpenSSL.
bool verify_es256(EVP_PKEY* key, std::string_view signing_input,
                  std::string_view signature) noexcept;

} // namespace switchboard::auth
