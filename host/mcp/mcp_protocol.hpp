// The MCP methods this server answers, for one session: ping, tools/list, tools/call (the
// lifecycle's initialize is answered by the transport, which creates the session). Requests
// get a JSON-RPC response; errors follow JSON-RPC 2.0: -32601 method not found, -32602
// invalid params (bad params, an unknown tool), -32600 invalid request (initialize twice),
// -32603 internal error (a host fault; its code in data, never a secret).
#pragma once

#include "core/auth/principal.hpp"
#include "host/mcp/json_rpc.hpp"
#include "host/mcp/session_store.hpp"
#include "host/mcp/tool_catalog.hpp"
#include "host/mcp/tool_runner.hpp"

#include <nlohmann/json.hpp>

#include <string>

namespace switchboard::mcp {

struct McpServerInfo {
    std::string name = "switchboard";
    std::string title = "Switchboard";
    std::string version;
};

class McpProtocol {
public:
    // All outlive this object.
    McpProtocol(const ToolCatalog& catalog, const ToolRunner& runner, McpServerInfo info)
        : catalog_(catalog), runner_(runner), info_(std::move(info)) {}

    // initialize's params checked (protocolVersion, capabilities, clientInfo): nullopt when
    // fine, else the -32602 error response.
    std::optional<nlohmann::json> check_initialize(const jsonrpc::Message& request) const;
    // The InitializeResult for the negotiated `version`.
    nlohmann::json initialize_result(std::string_view version) const;

    // The response to `request` (kind request) within `session`.
    nlohmann::json answer(const SessionInfo& session, const auth::Principal& caller,
                          const jsonrpc::Message& request) const;

private:
    nlohmann::json list_tools(const SessionInfo& session, const auth::Principal& caller,
                              const jsonrpc::Message& request) const;
    nlohmann::json call_tool(const SessionInfo& session, const auth::Principal& caller,
                             const jsonrpc::Message& request) const;

    const ToolCatalog& catalog_;
    const ToolRunner& runner_;
    McpServerInfo info_;
};

// The JSON-RPC error of a host fault: -32603, the code in data.
nlohmann::json internal_error(const nlohmann::json& id, const Error& error);

} // namespace switchboard::mcp
