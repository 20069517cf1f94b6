#include "core/store/event_outbox.hpp"

#include "core/crypto/secure_random.hpp"
#include "core/store/connector_status_change.hpp"

#include <soci/soci.h>

namespace switchboard::store {

EventOutbox::EventOutbox(std::vector<std::string> webhook_endpoints, WallClock clock)
    : endpoints_(std::move(webhook_endpoints)), clock_(std::move(clock)) {}

Result<void> EventOutbox::append(soci::session& sql, const ConnectorStatusChange& change,
                                 ConnectorEventType type) const {
    auto event_id = crypto::random_uuid();
    if (!event_id) return event_id.error();
    const auto now = clock_ ? clock_() : std::chrono::system_clock::now();
    long long at =
        std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count();
    std::string tenant(change.tenant_id), connector(change.connector_id);

    long long sequence = 0;
    sql << "INSERT INTO event_sequences (tenant_id, last_sequence) VALUES (:t, 1) "
           "ON CONFLICT (tenant_id) DO UPDATE SET last_sequence = "
           "event_sequences.last_sequence + 1 RETURNING last_sequence",
        soci::use(tenant), soci::into(sequence);

    std::string type_text(to_string(type)), status(to_string(change.to));
    std::string previous = change.from ? std::string(to_string(*change.from)) : std::string();
    std::string reason(change.reason), code(change.error_code);
    soci::indicator previous_ind = change.from ? soci::i_ok : soci::i_null;
    soci::indicator reason_ind = reason.empty() ? soci::i_null : soci::i_ok;
    soci::indicator code_ind = code.empty() ? soci::i_null : soci::i_ok;
    long long position = 0;
    soci::statement insert =
        (sql.prepare << "INSERT INTO connector_events (event_id, tenant_id, sequence, type, "
                        "connector_id, provider, category, user_id, status, previous_status, "
                        "reason, error_code, occurred_at_ms) SELECT :e, :t, :s, :ty, id, "
                        "provider, type, user_id, :st, :p, :r, :c, :at FROM connector_accounts "
                        "WHERE tenant_id = :t2 AND id = :id RETURNING id",
         soci::use(*event_id), soci::use(tenant), soci::use(sequence), soci::use(type_text),
         soci::use(status), soci::use(previous, previous_ind), soci::use(reason, reason_ind),
         soci::use(code, code_ind), soci::use(at), soci::use(tenant), soci::use(connector),
         soci::into(position));
    insert.execute();
    const bool inserted = insert.fetch();
    // Drained: SQLite finishes a statement only after its last row.
    while (insert.fetch()) continue;
    if (!inserted) {
        return Error(ErrorKind::internal, "connector_not_found",
                     "the event of connector '" + connector + "' has no connector to describe");
    }

    std::string endpoint;
    long long due = at, created = at;
    soci::statement deliver =
        (sql.prepare << "INSERT INTO webhook_deliveries (event_id, endpoint, connector_id, "
                        "attempts, next_attempt_at_ms, created_at_ms) VALUES (:e, :n, :c, 0, "
                        ":due, :at)",
         soci::use(position), soci::use(endpoint), soci::use(connector), soci::use(due),
         soci::use(created));
    for (const auto& name : endpoints_) {
        endpoint = name;
        deliver.execute(true);
    }
    return {};
}

} // namespace switchboard::store
