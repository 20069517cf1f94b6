// Static API keys, each bound to a principal: for the embedded default and the demo.
#pragma once

#include "core/auth/authenticator.hpp"

#include <array>
#include <memory>
#include <string>
#include <vector>

namespace switchboard::auth {

struct ApiKeyEntry {
    std::string key; // at least 16 characters, printable ASCII without spaces
    Principal principal;
};

// A key known only by its SHA-256, as the config file stores it (so the file holds no usable
// key).
struct ApiKeyDigestEntry {
    std::string sha256_hex; // 64 hexadecimal digits, either case
    Principal principal;
};

class ApiKeyAuthenticator final : public Authenticator {
public:
    // Keeps only SHA-256 digests of the keys. Errors: invalid_input, code invalid_auth_config
    // (a short or repeated key, an empty tenant or user); messages name entries by position,
    // never by key.
    static Result<std::unique_ptr<ApiKeyAuthenticator>> create(std::vector<ApiKeyEntry> entries);

    // The same from the keys' digests. The length rule on keys cannot be checked here (a
    // digest says nothing about its key); whoever made the digest is responsible for a key
    // of at least 16 random characters. Errors: invalid_input, code invalid_auth_config (a
    // digest that is not 64 hex digits, a repeated digest, an empty tenant or user), naming
    // entries by position.
    static Result<std::unique_ptr<ApiKeyAuthenticator>> from_digests(
        std::vector<ApiKeyDigestEntry> entries);

    // "Bearer <key>". Compares the presented key's digest with every stored digest in
    // constant time, without stopping at a match. Error: invalid_api_key.
    Result<Principal> authenticate(std::string_view authorization_header_value) const override;

    bool recognizes(std::string_view credential) const noexcept override;

private:
    struct Stored {
        std::array<unsigned char, 32> digest;
        Principal principal;
    };
    explicit ApiKeyAuthenticator(std::vector<Stored> keys);
    std::vector<Stored> keys_;
};

} // namespace switchboard::auth
