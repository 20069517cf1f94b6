#include "core/store/event_log.hpp"

#include <soci/soci.h>

namespace switchboard::store {
namespace {

// The columns every read returns, in the order EventRow::bind expects.
constexpr std::string_view event_columns =
    "id, event_id, tenant_id, sequence, type, connector_id, provider, category, user_id, "
    "status, previous_status, reason, error_code, occurred_at_ms";

struct EventRow {
    long long position = 0, sequence = 0, occurred = 0;
    std::string id, tenant, type, connector, provider, category, user, status, previous, reason,
        code;
    soci::indicator previous_ind = soci::i_ok, reason_ind = soci::i_ok, code_ind = soci::i_ok;

    void bind(soci::details::prepare_temp_type& prepare) {
        prepare, soci::into(position), soci::into(id), soci::into(tenant), soci::into(sequence),
            soci::into(type), soci::into(connector), soci::into(provider), soci::into(category),
            soci::into(user), soci::into(status), soci::into(previous, previous_ind),
            soci::into(reason, reason_ind), soci::into(code, code_ind), soci::into(occurred);
    }

    ConnectorEvent event() const {
        ConnectorEvent out;
        out.position = position;
        out.id = id;
        out.tenant_id = tenant;
        out.sequence = sequence;
        out.type = parse_connector_event_type(type).value_or(ConnectorEventType::connected);
        out.connector_id = connector;
        out.provider = provider;
        out.category = category;
        out.user_id = user;
        out.status = parse_connector_status(status).value_or(ConnectorStatus::error);
        if (previous_ind == soci::i_ok) out.previous_status = parse_connector_status(previous);
        if (reason_ind == soci::i_ok) out.reason = reason;
        if (code_ind == soci::i_ok) out.error_code = code;
        out.occurred_at = std::chrono::sys_time<std::chrono::milliseconds>(
            std::chrono::milliseconds(occurred));
        return out;
    }
};

} // namespace

EventLog::EventLog(std::shared_ptr<Database> database) : database_(std::move(database)) {}

Result<std::vector<ConnectorEvent>> EventLog::after(std::string_view tenant_id,
                                                    std::int64_t after, std::size_t limit) {
    return database_->query<std::vector<ConnectorEvent>>(
        "reading events", [&](soci::session& sql) -> Result<std::vector<ConnectorEvent>> {
            std::string tenant(tenant_id);
            long long from = after;
            long long most = static_cast<long long>(limit);
            EventRow row;
            auto prepare = (sql.prepare << "SELECT " << event_columns
                                        << " FROM connector_events WHERE tenant_id = :t AND "
                                           "sequence > :after ORDER BY sequence LIMIT :n");
            row.bind(prepare);
            prepare, soci::use(tenant), soci::use(from), soci::use(most);
            soci::statement st(prepare);
            st.execute();
            std::vector<ConnectorEvent> out;
            while (st.fetch()) out.push_back(row.event());
            return out;
        });
}

Result<ConnectorEvent> EventLog::get(std::int64_t position) {
    return database_->query<ConnectorEvent>(
        "reading an event", [&](soci::session& sql) -> Result<ConnectorEvent> {
            long long at = position;
            EventRow row;
            auto prepare = (sql.prepare << "SELECT " << event_columns
                                        << " FROM connector_events WHERE id = :id");
            row.bind(prepare);
            prepare, soci::use(at);
            soci::statement st(prepare);
            st.execute();
            if (!st.fetch()) {
                return Error(ErrorKind::not_found, "event_not_found",
                             "event " + std::to_string(position) + " is not in the outbox");
            }
            return row.event();
        });
}

Result<std::size_t> EventLog::purge(std::chrono::system_clock::time_point before,
                                    const std::vector<std::string>& endpoints) {
    const long long cutoff =
        std::chrono::duration_cast<std::chrono::milliseconds>(before.time_since_epoch()).count();
    return database_->query<std::size_t>(
        "purging old events", [&](soci::session& sql) -> Result<std::size_t> {
            std::string where_unknown = "created_at_ms < :c";
            std::vector<std::string> names = endpoints;
            for (std::size_t i = 0; i < names.size(); ++i) {
                where_unknown += " AND endpoint <> :e" + std::to_string(i);
            }
            long long cut = cutoff;
            {
                auto prepare =
                    (sql.prepare << "DELETE FROM webhook_deliveries WHERE " << where_unknown);
                prepare, soci::use(cut);
                for (auto& name : names) prepare, soci::use(name);
                soci::statement orphans(prepare);
                orphans.execute(true);
            }
            long long cut_events = cutoff;
            soci::statement events =
                (sql.prepare << "DELETE FROM connector_events WHERE occurred_at_ms < :c AND NOT "
                                "EXISTS (SELECT 1 FROM webhook_deliveries d WHERE d.event_id = "
                                "connector_events.id)",
                 soci::use(cut_events));
            events.execute(true);
            return static_cast<std::size_t>(events.get_affected_rows());
        });
}

} // namespace switchboard::store
