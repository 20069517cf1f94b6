// Tells a tenant's MCP sessions that their tool list changed
// (notifications/tools/list_changed) whenever ConnectorEvents reports one of the tenant's
// connectors activated or disconnected on this instance. Sessions that never opened the GET
// stream are skipped (they have nowhere to receive it); on other instances, clients see the
// change at their next tools/list.
#pragma once

#include "core/connectors/connector_events.hpp"
#include "host/mcp/session_store.hpp"

namespace switchboard::mcp {

inline constexpr std::string_view list_changed_notification =
    R"({"jsonrpc":"2.0","method":"notifications/tools/list_changed"})";

class ListChangedNotifier {
public:
    // Listens until destroyed; `sessions` outlives this object.
    ListChangedNotifier(connectors::ConnectorEvents& events, SessionStore& sessions);

private:
    connectors::ConnectorEvents::Subscription subscription_;
};

} // namespace switchboard::mcp
