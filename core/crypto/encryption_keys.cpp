#include "core/crypto/encryption_keys.hpp"

#include <vector>

namespace switchboard::crypto {
namespace {

std::string_view trim(std::string_view text) {
    const auto first = text.find_first_not_of(" \t\r\n");
    if (first == std::string_view::npos) return {};
    const auto last = text.find_last_not_of(" \t\r\n");
    return text.substr(first, last - first + 1);
}

Error invalid_key(std::string_view variable, std::string detail) {
    return Error(ErrorKind::invalid_input, "encryption_key_invalid",
                 std::string(variable) + " " + detail +
                     ": a Fernet key is 32 bytes in url-safe base64 (44 characters)",
                 std::string(variable));
}

} // namespace

Result<MultiFernet> load_encryption_keys(std::optional<std::string_view> primary,
                                         std::optional<std::string_view> old_keys) {
    if (!primary || trim(*primary).empty()) {
        return Error(ErrorKind::invalid_input, "encryption_key_missing",
                     std::string(primary_key_variable) +
                         " is not set: it must hold the Fernet key (32 bytes in url-safe base64) "
                         "that encrypts tokens",
                     std::string(primary_key_variable));
    }
    std::vector<TokenCipher> ciphers;
    auto primary_key = FernetKey::from_base64url(trim(*primary));
    if (!primary_key) return invalid_key(primary_key_variable, "is not a valid Fernet key");
    ciphers.emplace_back(std::move(*primary_key));

    if (old_keys && !trim(*old_keys).empty()) {
        std::string_view rest = *old_keys;
        std::size_t position = 0;
        while (true) {
            ++position;
            const auto comma = rest.find(',');
            const std::string_view entry = trim(rest.substr(0, comma));
            if (entry.empty()) {
                return invalid_key(old_keys_variable,
                                   "entry " + std::to_string(position) + " is empty");
            }
            auto key = FernetKey::from_base64url(entry);
            if (!key) {
                return invalid_key(old_keys_variable, "entry " + std::to_string(position) +
                                                          " is not a valid Fernet key");
            }
            ciphers.emplace_back(std::move(*key));
            if (comma == std::string_view::npos) break;
            rest.remove_prefix(comma + 1);
        }
    }
    return MultiFernet::create(std::move(ciphers));
}

Result<MultiFernet> load_encryption_keys_from_environment(const EnvironmentLookup& lookup) {
    auto primary_read = lookup(primary_key_variable);
    if (!primary_read) return primary_read.error();
    auto old_keys_read = lookup(old_keys_variable);
    if (!old_keys_read) return old_keys_read.error();
    const std::optional<std::string>& primary = *primary_read;
    const std::optional<std::string>& old_keys = *old_keys_read;
    return load_encryption_keys(primary ? std::optional<std::string_view>(*primary) : std::nullopt,
                                old_keys ? std::optional<std::string_view>(*old_keys)
                                         : std::nullopt);
}

} // namespace switchboard::crypto
