#include "core/store/action_audit_log.hpp"

#include "core/crypto/secure_random.hpp"
#include "core/store/prepared_statements.hpp"

#include <soci/soci.h>

#include <tuple>

namespace switchboard::store {
namespace {

Result<void> check(std::string_view field, std::string_view value, std::size_t limit,
                   bool required) {
    if ((required && value.empty()) || value.size() > limit) {
        return Error(ErrorKind::invalid_input, "invalid_audit_entry",
                     std::string(field) + " is empty or longer than " + std::to_string(limit) +
                         " characters",
                     std::string(field));
    }
    return {};
}

} // namespace

std::string_view to_string(ActionOutcome outcome) noexcept {
    switch (outcome) {
    case ActionOutcome::succeeded: return "succeeded";
    case ActionOutcome::failed: return "failed";
    case ActionOutcome::replayed: return "replayed";
    }
    return "failed";
}

std::optional<ActionOutcome> parse_action_outcome(std::string_view text) noexcept {
    if (text == "succeeded") return ActionOutcome::succeeded;
    if (text == "failed") return ActionOutcome::failed;
    if (text == "replayed") return ActionOutcome::replayed;
    return std::nullopt;
}

ActionAuditLog::ActionAuditLog(std::shared_ptr<Database> database, WallClock clock)
    : database_(std::move(database)), clock_(std::move(clock)) {}

namespace {

// The audit log's INSERT, kept prepared (PreparedStatements): one runs for every action.
struct AuditInsert {
    static inline const std::string text =
        "INSERT INTO action_audit_log (id, tenant_id, user_id, connector_id, provider, category, "
        "action, status, error_code, duration_ms, created_at) VALUES (:id, :t, :u, :c, :p, :cat, "
        ":a, :s, :e, :d, :at)";

    AuditInsert(soci::session& sql, const std::string& query) : statement(sql) {
        statement.exchange(soci::use(id));
        statement.exchange(soci::use(tenant));
        statement.exchange(soci::use(user));
        statement.exchange(soci::use(connector, connector_ind));
        statement.exchange(soci::use(provider, provider_ind));
        statement.exchange(soci::use(category));
        statement.exchange(soci::use(action));
        statement.exchange(soci::use(outcome));
        statement.exchange(soci::use(error_code, error_ind));
        statement.exchange(soci::use(duration));
        statement.exchange(soci::use(created));
        prepare_kept(statement, query);
    }

    void set(const ActionAuditEntry& entry) {
        id = entry.id;
        tenant = entry.tenant_id;
        user = entry.user_id;
        connector = entry.connector_id;
        connector_ind = entry.connector_id.empty() ? soci::i_null : soci::i_ok;
        provider = entry.provider;
        provider_ind = entry.provider.empty() ? soci::i_null : soci::i_ok;
        category = entry.category;
        action = entry.action;
        outcome = to_string(entry.outcome);
        error_code = entry.error_code;
        error_ind = entry.error_code.empty() ? soci::i_null : soci::i_ok;
        duration = entry.duration.count();
        created = entry.created_at.time_since_epoch().count();
    }

    std::string id, tenant, user, connector, provider, category, action, outcome, error_code;
    soci::indicator connector_ind = soci::i_null, provider_ind = soci::i_null,
                    error_ind = soci::i_null;
    long long duration = 0, created = 0;
    soci::statement statement;
};

} // namespace

Result<ActionAuditEntry> ActionAuditLog::record(ActionAuditEntry entry) {
    for (auto [field, value, limit, required] :
         {std::tuple<std::string_view, std::string_view, std::size_t, bool>{
              "tenant_id", entry.tenant_id, 255, true},
          {"user_id", entry.user_id, 255, true},
          {"connector_id", entry.connector_id, 36, false},
          {"provider", entry.provider, 128, false},
          {"category", entry.category, 64, true},
          {"action", entry.action, 64, true},
          {"error_code", entry.error_code, 128, false}}) {
        if (auto checked = check(field, value, limit, required); !checked) return checked.error();
    }
    auto id = crypto::random_uuid();
    if (!id) return id.error();
    entry.id = std::move(*id);
    entry.created_at = std::chrono::time_point_cast<std::chrono::seconds>(
        clock_ ? clock_() : std::chrono::system_clock::now());
    auto stored = database_->with_prepared(
        "recording an action in the audit log",
        [&](soci::session& sql, PreparedStatements& statements) -> Result<void> {
            auto& insert = statements.get<AuditInsert>(sql, AuditInsert::text);
            insert.set(entry);
            insert.statement.execute(true);
            return {};
        });
    if (!stored) return stored.error();
    return entry;
}

Result<std::vector<ActionAuditEntry>> ActionAuditLog::recent(std::string_view tenant_id,
                                                             std::size_t limit) {
    return database_->query<std::vector<ActionAuditEntry>>(
        "reading the audit log", [&](soci::session& sql) -> Result<std::vector<ActionAuditEntry>> {
            std::string tenant(tenant_id);
            long long max_rows = static_cast<long long>(limit);
            ActionAuditEntry row;
            std::string outcome;
            long long duration = 0, created = 0;
            soci::indicator connector_ind = soci::i_ok, provider_ind = soci::i_ok,
                            error_ind = soci::i_ok;
            soci::statement st =
                (sql.prepare << "SELECT id, tenant_id, user_id, connector_id, provider, category, "
                                "action, status, error_code, duration_ms, created_at FROM "
                                "action_audit_log WHERE tenant_id = :t ORDER BY created_at DESC, "
                                "id DESC LIMIT :n",
                 soci::into(row.id), soci::into(row.tenant_id), soci::into(row.user_id),
                 soci::into(row.connector_id, connector_ind), soci::into(row.provider, provider_ind),
                 soci::into(row.category), soci::into(row.action), soci::into(outcome),
                 soci::into(row.error_code, error_ind), soci::into(duration), soci::into(created),
                 soci::use(tenant), soci::use(max_rows));
            st.execute();
            std::vector<ActionAuditEntry> out;
            while (st.fetch()) {
                ActionAuditEntry entry = row;
                if (connector_ind != soci::i_ok) entry.connector_id.clear();
                if (provider_ind != soci::i_ok) entry.provider.clear();
                if (error_ind != soci::i_ok) entry.error_code.clear();
                entry.outcome = parse_action_outcome(outcome).value_or(ActionOutcome::failed);
                entry.duration = std::chrono::milliseconds(duration);
                entry.created_at = from_epoch_seconds(created);
                out.push_back(std::move(entry));
            }
            return out;
        });
}

} // namespace switchboard::store
