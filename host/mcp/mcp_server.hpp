// The MCP server of the host: the tools of what each tenant has connected (ToolCatalog), run
// through the same services as the REST API (ToolRunner), the sessions and their event
// streams (SessionStore), list_changed when a tenant connects or disconnects
// (ListChangedNotifier), on the Streamable HTTP transport at /mcp (McpTransport).
#pragma once

#include "core/auth/authenticator.hpp"
#include "core/connectors/action_service.hpp"
#include "core/connectors/assistant/assistant_tools.hpp"
#include "core/connectors/connector_events.hpp"
#include "core/connectors/connector_service.hpp"
#include "core/plugin/contract_catalog.hpp"
#include "host/mcp/list_changed_notifier.hpp"
#include "host/mcp/mcp_protocol.hpp"
#include "host/mcp/mcp_transport.hpp"
#include "host/mcp/origin_policy.hpp"
#include "host/mcp/session_store.hpp"
#include "host/mcp/tool_catalog.hpp"
#include "host/mcp/tool_runner.hpp"
#include "host/server/router.hpp"

#include <memory>
#include <string>
#include <vector>

namespace switchboard::mcp {

struct McpServerParts {
    // All outlive the McpServer.
    connectors::ConnectorService& connectors;
    connectors::ActionService& actions;
    std::shared_ptr<const auth::Authenticator> authenticator;
    const plugin::ContractCatalog& contracts;
    connectors::ConnectorEvents& events;
};

struct McpServerOptions {
    std::vector<std::string> allowed_origins; // mcp.allowed_origins
    SessionStoreOptions sessions;
    std::string version; // the host's, for serverInfo
};

class McpServer {
public:
    McpServer(McpServerParts parts, McpServerOptions options);

    McpServer(const McpServer&) = delete;
    McpServer& operator=(const McpServer&) = delete;

    // POST, GET and DELETE /mcp (authenticated by the route's gate before the body is read;
    // GET's long polls hold no worker). The
    // McpServer must outlive the router's server.
    void add_routes(server::Router& router);

    SessionStore& sessions() noexcept { return sessions_; }

private:
    McpServerParts parts_;
    connectors::assistant::AssistantTools assistant_;
    ToolCatalog catalog_;
    ToolRunner runner_;
    McpProtocol protocol_;
    SessionStore sessions_;
    OriginPolicy origins_;
    McpTransport transport_;
    ListChangedNotifier notifier_;
};

} // namespace switchboard::mcp
