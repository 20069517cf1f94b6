#include "core/store/key_rotation.hpp"

#include <soci/soci.h>
#include <spdlog/spdlog.h>

#include <optional>

namespace switchboard::store {
namespace {

constexpr std::size_t max_failed_ids = 100;

struct StoredRow {
    std::string id;
    std::optional<std::string> access;
    std::optional<std::string> refresh;
    long long version = 0;
};

enum class TokenState { absent, current, rotated, failed };

// Rotates one ciphertext in place if it is not under the primary key.
TokenState rotate_token(const crypto::MultiFernet& keys, std::optional<std::string>& token) {
    if (!token) return TokenState::absent;
    auto opened = keys.decrypt_with_index(*token);
    if (!opened) return TokenState::failed;
    if (opened->key_index == 0) return TokenState::current;
    auto rotated = keys.rotate(*token);
    if (!rotated) return TokenState::failed;
    *token = std::move(*rotated);
    return TokenState::rotated;
}

} // namespace

Result<RotationReport> rotate_keys(Database& database, const crypto::MultiFernet& keys,
                                   const RotationOptions& options) {
    RotationReport report;
    const std::size_t batch_size = options.batch_size == 0 ? 100 : options.batch_size;
    std::string last_id; // ids are UUIDs: every one sorts after ""
    while (true) {
        std::size_t in_batch = 0;
        RotationReport batch;
        auto done = database.with_session(
            "rotating encryption keys", [&](soci::session& sql) -> Result<void> {
                const bool postgres = database.backend() == DatabaseBackend::postgresql;
                WriteTransaction transaction(sql, database.backend());
                std::vector<StoredRow> rows;
                {
                    StoredRow row;
                    std::string access, refresh;
                    soci::indicator access_ind = soci::i_null, refresh_ind = soci::i_null;
                    long long limit = static_cast<long long>(batch_size);
                    soci::statement st =
                        (sql.prepare
                             << "SELECT id, access_token_encrypted, refresh_token_encrypted, "
                                "credential_version FROM connector_accounts WHERE id > :last "
                                "ORDER BY id LIMIT :limit"
                             << (postgres ? " FOR UPDATE" : ""),
                         soci::use(last_id), soci::use(limit), soci::into(row.id),
                         soci::into(access, access_ind), soci::into(refresh, refresh_ind),
                         soci::into(row.version));
                    st.execute();
                    while (st.fetch()) {
                        row.access =
                            access_ind == soci::i_ok ? std::optional(access) : std::nullopt;
                        row.refresh =
                            refresh_ind == soci::i_ok ? std::optional(refresh) : std::nullopt;
                        rows.push_back(row);
                    }
                }
                in_batch = rows.size();
                for (auto& row : rows) {
                    ++batch.scanned;
                    const TokenState access = rotate_token(keys, row.access);
                    const TokenState refresh = rotate_token(keys, row.refresh);
                    if (access == TokenState::failed || refresh == TokenState::failed) {
                        ++batch.failed;
                        batch.failed_ids.push_back(row.id);
                        spdlog::warn(
                            "rotate-keys: connector {} has a token no configured key opens",
                            row.id);
                        continue;
                    }
                    if (access != TokenState::rotated && refresh != TokenState::rotated) {
                        ++batch.already_current;
                        continue;
                    }
                    std::string access_text = row.access.value_or(""),
                                refresh_text = row.refresh.value_or("");
                    soci::indicator access_ind = row.access ? soci::i_ok : soci::i_null;
                    soci::indicator refresh_ind = row.refresh ? soci::i_ok : soci::i_null;
                    soci::statement update =
                        (sql.prepare
                             << "UPDATE connector_accounts SET access_token_encrypted = :a, "
                                "refresh_token_encrypted = :r WHERE id = :id AND "
                                "credential_version = :v",
                         soci::use(access_text, access_ind), soci::use(refresh_text, refresh_ind),
                         soci::use(row.id), soci::use(row.version));
                    update.execute(true);
                    // The row is locked, so the version cannot have moved; if it somehow did,
                    // the newer tokens were written under the primary key anyway.
                    if (update.get_affected_rows() == 1)
                        ++batch.rotated;
                    else
                        ++batch.already_current;
                }
                transaction.commit();
                if (!rows.empty()) last_id = rows.back().id;
                return {};
            });
        if (!done) return done.error();
        if (in_batch == 0) break;

        report.scanned += batch.scanned;
        report.rotated += batch.rotated;
        report.already_current += batch.already_current;
        report.failed += batch.failed;
        for (auto& id : batch.failed_ids) {
            if (report.failed_ids.size() < max_failed_ids)
                report.failed_ids.push_back(std::move(id));
        }
        if (options.on_progress) options.on_progress(report);
        if (in_batch < batch_size) break;
    }
    return report;
}

} // namespace switchboard::store
