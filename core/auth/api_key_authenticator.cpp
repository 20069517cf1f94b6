#include "core/auth/api_key_authenticator.hpp"

#include "core/auth/bearer_credential.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include <algorithm>
#include <optional>

namespace switchboard::auth {
namespace {

constexpr std::size_t kMinKeySize = 16;

std::optional<std::array<unsigned char, 32>> sha256(std::string_view text) {
    std::array<unsigned char, 32> digest{};
    unsigned int size = 0;
    if (EVP_Digest(text.data(), text.size(), digest.data(), &size, EVP_sha256(), nullptr) != 1 ||
        size != digest.size()) {
        return std::nullopt;
    }
    return digest;
}

bool printable_token(std::string_view text) {
    return std::all_of(text.begin(), text.end(), [](char c) {
        return static_cast<unsigned char>(c) > 0x20 && static_cast<unsigned char>(c) < 0x7f;
    });
}

std::optional<std::array<unsigned char, 32>> parse_hex_digest(std::string_view hex) {
    std::array<unsigned char, 32> digest{};
    if (hex.size() != digest.size() * 2) {
        return std::nullopt;
    }
    auto nibble = [](char c) -> int {
        if (c >= '0' && c <= '9') return c - '0';
        if (c >= 'a' && c <= 'f') return c - 'a' + 10;
        if (c >= 'A' && c <= 'F') return c - 'A' + 10;
        return -1;
    };
    for (std::size_t i = 0; i < digest.size(); ++i) {
        const int high = nibble(hex[2 * i]);
        const int low = nibble(hex[2 * i + 1]);
        if (high < 0 || low < 0) {
            return std::nullopt;
        }
        digest[i] = static_cast<unsigned char>(high * 16 + low);
    }
    return digest;
}

Error config_error(std::string message) {
    return Error(ErrorKind::invalid_input, "invalid_auth_config", std::move(message), "api_keys");
}

} // namespace

Result<std::unique_ptr<ApiKeyAuthenticator>>
ApiKeyAuthenticator::create(std::vector<ApiKeyEntry> entries) {
    std::vector<Stored> keys;
    keys.reserve(entries.size());
    for (std::size_t i = 0; i < entries.size(); ++i) {
        const auto& entry = entries[i];
        const std::string which = "api key entry #" + std::to_string(i + 1);
        if (entry.key.size() < kMinKeySize || !printable_token(entry.key)) {
            return config_error(which + " must be at least 16 printable characters without spaces");
        }
        if (entry.principal.tenant_id.empty() || entry.principal.user_id.empty()) {
            return config_error(which + " needs a tenant and a user");
        }
        auto digest = sha256(entry.key);
        if (!digest) {
            return Error(ErrorKind::internal, "digest_failed", "SHA-256 is unavailable");
        }
        for (std::size_t j = 0; j < keys.size(); ++j) {
            if (keys[j].digest == *digest) {
                return config_error(which + " repeats the key of entry #" + std::to_string(j + 1));
            }
        }
        keys.push_back(Stored{*digest, entry.principal});
    }
    return std::unique_ptr<ApiKeyAuthenticator>(new ApiKeyAuthenticator(std::move(keys)));
}

Result<std::unique_ptr<ApiKeyAuthenticator>>
ApiKeyAuthenticator::from_digests(std::vector<ApiKeyDigestEntry> entries) {
    std::vector<Stored> keys;
    keys.reserve(entries.size());
    for (std::size_t i = 0; i < entries.size(); ++i) {
        const auto& entry = entries[i];
        const std::string which = "api key entry #" + std::to_string(i + 1);
        auto digest = parse_hex_digest(entry.sha256_hex);
        if (!digest) {
            return config_error(which + " must be a SHA-256 digest of 64 hexadecimal digits");
        }
        if (entry.principal.tenant_id.empty() || entry.principal.user_id.empty()) {
            return config_error(which + " needs a tenant and a user");
        }
        for (std::size_t j = 0; j < keys.size(); ++j) {
            if (keys[j].digest == *digest) {
                return config_error(which + " repeats the key of entry #" + std::to_string(j + 1));
            }
        }
        keys.push_back(Stored{*digest, entry.principal});
    }
    return std::unique_ptr<ApiKeyAuthenticator>(new ApiKeyAuthenticator(std::move(keys)));
}

ApiKeyAuthenticator::ApiKeyAuthenticator(std::vector<Stored> keys) : keys_(std::move(keys)) {}

bool ApiKeyAuthenticator::recognizes(std::string_view credential) const noexcept {
    return !credential.empty();
}

Result<Principal> ApiKeyAuthenticator::authenticate(std::string_view authorization_header_value) const {
    auto credential = bearer_credential(authorization_header_value);
    if (!credential) {
        return credential.error();
    }
    auto digest = sha256(*credential);
    if (!digest) {
        return unauthenticated("invalid_api_key", "the API key could not be checked");
    }
    // Comparing digests keeps the comparison's timing independent of the stored keys'
    // bytes; visiting every entry keeps it independent of which one matched.
    const Stored* match = nullptr;
    for (const auto& stored : keys_) {
        const bool equal = CRYPTO_memcmp(stored.digest.data(), digest->data(), digest->size()) == 0;
        match = equal ? &stored : match;
    }
    if (match == nullptr) {
        return unauthenticated("invalid_api_key", "the API key is not valid");
    }
    return match->principal;
}

} // namespace switchboard::auth
