#include "host/mcp/list_changed_notifier.hpp"

#include <spdlog/spdlog.h>

namespace switchboard::mcp {

ListChangedNotifier::ListChangedNotifier(connectors::ConnectorEvents& events,
                                         SessionStore& sessions)
    : subscription_(events.subscribe([&sessions](const connectors::ConnectorChange& change) {
          const auto reached =
              sessions.notify_tenant(change.tenant_id, std::string(list_changed_notification));
          if (reached > 0) {
              spdlog::info("MCP tools/list_changed sent to {} session(s) of tenant {} "
                           "(connector {} {})",
                           reached, change.tenant_id, change.connector_id,
                           change.kind == connectors::ConnectorChange::Kind::activated
                               ? "activated"
                               : "disconnected");
          }
      })) {}

} // namespace switchboard::mcp
