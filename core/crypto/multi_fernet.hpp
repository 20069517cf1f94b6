// MultiFernet: key rotation for Fernet tokens, as in Python's cryptography.fernet.MultiFernet.
#pragma once

#include "core/common/error.hpp"
#include "core/crypto/token_cipher.hpp"

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace switchboard::crypto {

// What decrypt_with_index returns: the plaintext and which key opened it (0 = primary).
struct DecryptedToken {
    std::string plaintext;
    std::size_t key_index = 0;
};

// Encrypts with the first (primary) key; decrypts with each key in turn, primary first.
// Immutable after construction, so it is safe to share between threads.
class MultiFernet {
public:
    // Fails (code `invalid_key`) when `ciphers` is empty.
    static Result<MultiFernet> create(std::vector<TokenCipher> ciphers);

    Result<std::string> encrypt(std::string_view plaintext) const;

    // Tries every key; the error of a token no key opens is `invalid_token`.
    Result<std::string> decrypt(std::string_view token,
                                std::optional<std::chrono::seconds> ttl = std::nullopt) const;
    Result<DecryptedToken>
    decrypt_with_index(std::string_view token,
                       std::optional<std::chrono::seconds> ttl = std::nullopt) const;

    // Re-encrypts `token` under the primary key, keeping its original timestamp (so a TTL
    // keeps counting from the first encryption, as Python's MultiFernet.rotate does).
    Result<std::string> rotate(std::string_view token) const;

    const TokenCipher& primary() const { return ciphers_.front(); }
    std::size_t key_count() const { return ciphers_.size(); }

private:
    explicit MultiFernet(std::vector<TokenCipher> ciphers) : ciphers_(std::move(ciphers)) {}
    std::vector<TokenCipher> ciphers_;
};

} // namespace switchboard::crypto
