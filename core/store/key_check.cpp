#include "core/store/key_check.hpp"

#include "core/crypto/encryption_keys.hpp"

#include <soci/soci.h>
#include <spdlog/spdlog.h>

#include <optional>
#include <string>
#include <vector>

namespace switchboard::store {
namespace {

// What the check decrypts to. Not a secret: it only proves which key wrote it.
constexpr std::string_view check_text = "switchboard encryption key check v1";
// An older database's tokens sampled when it gets its check: enough to tell a wrong key.
constexpr long long sampled_tokens = 20;

Error key_mismatch(std::string_view what) {
    return Error(ErrorKind::internal, "encryption_key_mismatch",
                 std::string(crypto::primary_key_variable) +
                     " is not the key this database is encrypted with: neither it nor any key in " +
                     std::string(crypto::old_keys_variable) + " opens " + std::string(what) +
                     ". Start with the key that wrote the database (or list it in " +
                     std::string(crypto::old_keys_variable) + ")");
}

Result<std::optional<std::string>> read_check(Database& database) {
    return database.query<std::optional<std::string>>(
        "reading the encryption key check",
        [](soci::session& sql) -> Result<std::optional<std::string>> {
            std::string token;
            sql << "SELECT canary FROM encryption_key_check WHERE id = 1", soci::into(token);
            if (!sql.got_data()) return std::optional<std::string>();
            return std::optional<std::string>(std::move(token));
        });
}

Result<KeyCheckResult> open_check(const crypto::MultiFernet& keys, const std::string& token) {
    auto opened = keys.decrypt_with_index(token);
    if (!opened || opened->plaintext != check_text) {
        return key_mismatch("the database's encryption key check");
    }
    return KeyCheckResult{opened->key_index == 0 ? KeyCheckState::current : KeyCheckState::old_key,
                          opened->key_index};
}

// A database written before the check existed: its latest tokens must open with one key.
Result<void> verify_stored_tokens(Database& database, const crypto::MultiFernet& keys) {
    auto tokens = database.query<std::vector<std::string>>(
        "sampling stored tokens", [](soci::session& sql) -> Result<std::vector<std::string>> {
            std::vector<std::string> out;
            std::string token;
            long long limit = sampled_tokens;
            soci::statement st =
                (sql.prepare << "SELECT access_token_encrypted FROM connector_accounts WHERE "
                                "access_token_encrypted IS NOT NULL ORDER BY updated_at DESC, id "
                                "LIMIT :limit",
                 soci::use(limit), soci::into(token));
            st.execute();
            while (st.fetch()) out.push_back(token);
            return out;
        });
    if (!tokens) return tokens.error();
    if (tokens->empty()) return {};
    for (const auto& token : *tokens) {
        if (keys.decrypt(token)) return {};
    }
    return key_mismatch("any of the database's latest stored tokens");
}

Result<void> write_check(Database& database, const crypto::MultiFernet& keys, bool replace) {
    auto token = keys.encrypt(check_text);
    if (!token) return token.error();
    return database.with_session("writing the encryption key check",
                                 [&](soci::session& sql) -> Result<void> {
                                     long long now = to_epoch_seconds(
                                         std::chrono::system_clock::now());
                                     if (replace) {
                                         sql << "UPDATE encryption_key_check SET canary = :c, "
                                                "updated_at = :t WHERE id = 1",
                                             soci::use(*token), soci::use(now);
                                     } else {
                                         // Another instance may be doing the same right now.
                                         sql << "INSERT INTO encryption_key_check (id, canary, "
                                                "updated_at) VALUES (1, :c, :t) ON CONFLICT "
                                                "(id) DO NOTHING",
                                             soci::use(*token), soci::use(now);
                                     }
                                     return {};
                                 });
}

} // namespace

Result<KeyCheckResult> verify_key_check(Database& database, const crypto::MultiFernet& keys) {
    auto stored = read_check(database);
    if (!stored) return stored.error();
    if (*stored) return open_check(keys, **stored);

    if (auto fits = verify_stored_tokens(database, keys); !fits) return fits.error();
    if (auto written = write_check(database, keys, false); !written) return written.error();
    // Read back what is stored: with a concurrent first start, the other instance's.
    stored = read_check(database);
    if (!stored) return stored.error();
    if (!*stored) {
        return Error(ErrorKind::internal, "database_error",
                     "the encryption key check was written but cannot be read back");
    }
    auto opened = open_check(keys, **stored);
    if (!opened) return opened.error();
    spdlog::info("the database had no encryption key check: wrote one under {}",
                 crypto::primary_key_variable);
    return KeyCheckResult{KeyCheckState::created, opened->key_index};
}

Result<KeyCheckResult> rotate_key_check(Database& database, const crypto::MultiFernet& keys) {
    auto verified = verify_key_check(database, keys);
    if (!verified) return verified.error();
    if (verified->state != KeyCheckState::old_key) return verified;
    if (auto written = write_check(database, keys, true); !written) return written.error();
    return KeyCheckResult{KeyCheckState::current, 0};
}

} // namespace switchboard::store
