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

// One batch of stored idempotent results after the key (tenant_id, idempotency_key) `after`,
// rotated in one transaction. Returns how many rows it read; `after` moves to the last one.
Result<std::size_t> rotate_result_batch(Database& database, const crypto::MultiFernet& keys,
                                        std::size_t batch_size,
                                        std::pair<std::string, std::string>& after,
                                        ResultRotationCounts& counts) {
    struct StoredResult {
        std::string tenant_id, key;
        std::optional<std::string> result;
    };
    return database.query<std::size_t>(
        "rotating encryption keys of idempotent results",
        [&](soci::session& sql) -> Result<std::size_t> {
            const bool postgres = database.backend() == DatabaseBackend::postgresql;
            WriteTransaction transaction(sql, database.backend());
            std::vector<StoredResult> rows;
            {
                StoredResult row;
                std::string sealed;
                long long limit = static_cast<long long>(batch_size);
                std::string tenant_after = after.first, tenant_same = after.first,
                            key_after = after.second;
                soci::statement st =
                    (sql.prepare << "SELECT tenant_id, idempotency_key, result_encrypted FROM "
                                    "idempotency_keys WHERE result_encrypted IS NOT NULL AND "
                                    "(tenant_id > :t OR (tenant_id = :t2 AND idempotency_key > "
                                    ":k)) ORDER BY tenant_id, idempotency_key LIMIT :limit"
                                 << (postgres ? " FOR UPDATE" : ""),
                     soci::use(tenant_after), soci::use(tenant_same), soci::use(key_after),
                     soci::use(limit), soci::into(row.tenant_id), soci::into(row.key),
                     soci::into(sealed));
                st.execute();
                while (st.fetch()) {
                    row.result = sealed;
                    rows.push_back(row);
                }
            }
            ResultRotationCounts batch;
            for (auto& row : rows) {
                ++batch.scanned;
                const std::string before = *row.result;
                switch (rotate_token(keys, row.result)) {
                case TokenState::absent:
                case TokenState::current: ++batch.already_current; continue;
                case TokenState::failed:
                    ++batch.failed;
                    spdlog::warn("rotate-keys: an idempotent result of tenant {} has a ciphertext "
                                 "no configured key opens",
                                 row.tenant_id);
                    continue;
                case TokenState::rotated: break;
                }
                std::string old_text = before;
                soci::statement update =
                    (sql.prepare << "UPDATE idempotency_keys SET result_encrypted = :r WHERE "
                                    "tenant_id = :t AND idempotency_key = :k AND "
                                    "result_encrypted = :old",
                     soci::use(*row.result), soci::use(row.tenant_id), soci::use(row.key),
                     soci::use(old_text));
                update.execute(true);
                if (update.get_affected_rows() == 1)
                    ++batch.rotated;
                else
                    ++batch.already_current; // replaced meanwhile, under the primary key
            }
            transaction.commit();
            if (!rows.empty()) after = {rows.back().tenant_id, rows.back().key};
            counts.scanned += batch.scanned;
            counts.rotated += batch.rotated;
            counts.already_current += batch.already_current;
            counts.failed += batch.failed;
            return rows.size();
        });
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
    std::pair<std::string, std::string> after; // every key sorts after ("", "")
    while (true) {
        auto in_batch =
            rotate_result_batch(database, keys, batch_size, after, report.idempotent_results);
        if (!in_batch) return in_batch.error();
        if (*in_batch == 0) break;
        if (options.on_progress) options.on_progress(report);
        if (*in_batch < batch_size) break;
    }
    return report;
}

} // namespace switchboard::store
