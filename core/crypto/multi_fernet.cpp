#include "core/crypto/multi_fernet.hpp"

#include "core/crypto/secure_random.hpp"

#include <array>

namespace switchboard::crypto {

Result<MultiFernet> MultiFernet::create(std::vector<TokenCipher> ciphers) {
    if (ciphers.empty()) {
        return Error(ErrorKind::invalid_input, "invalid_key",
                     "a MultiFernet needs at least one key");
    }
    return MultiFernet(std::move(ciphers));
}

Result<std::string> MultiFernet::encrypt(std::string_view plaintext) const {
    return primary().encrypt(plaintext);
}

Result<std::string> MultiFernet::decrypt(std::string_view token,
                                         std::optional<std::chrono::seconds> ttl) const {
    auto decrypted = decrypt_with_index(token, ttl);
    if (!decrypted) return decrypted.error();
    return std::move(decrypted->plaintext);
}

Result<DecryptedToken>
MultiFernet::decrypt_with_index(std::string_view token,
                                std::optional<std::chrono::seconds> ttl) const {
    // As Python's MultiFernet: try each key in order. A malformed or expired token fails
    // under every key, so only the last error matters when none opens it.
    std::optional<Error> last_error;
    for (std::size_t i = 0; i < ciphers_.size(); ++i) {
        auto plaintext = ciphers_[i].decrypt(token, ttl);
        if (plaintext) return DecryptedToken{std::move(*plaintext), i};
        if (plaintext.error().kind == ErrorKind::internal) return plaintext.error();
        last_error = plaintext.error();
    }
    return *last_error;
}

Result<std::string> MultiFernet::rotate(std::string_view token) const {
    auto timestamp = TokenCipher::extract_timestamp(token);
    if (!timestamp) return timestamp.error();
    auto decrypted = decrypt(token);
    if (!decrypted) return decrypted.error();
    std::array<std::uint8_t, 16> iv{};
    if (auto filled = fill_random(iv); !filled) return filled.error();
    return primary().encrypt_at(*decrypted, *timestamp, iv);
}

} // namespace switchboard::crypto
