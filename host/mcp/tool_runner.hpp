// Runs a tools/call on a tool of the caller's catalog, through the same services as the REST
// API (ActionService, AssistantTools): contract checks, idempotency, audit, refresh. Returns
// the CallToolResult: the result as structuredContent (from 2025-06-18 on) and as text; a
// failure of the tool — invalid arguments, no or several connectors, the provider's errors —
// is a result with isError and, as text, the API's error object
// {"error": {"code", "message", "field"?, "retry_after_seconds"?}}, so the model reads the
// same codes as a REST client. Only the host's own faults are errors of the JSON-RPC call.
#pragma once

#include "core/auth/principal.hpp"
#include "core/common/error.hpp"
#include "core/connectors/action_service.hpp"
#include "core/connectors/assistant/assistant_tools.hpp"
#include "host/mcp/tool_catalog.hpp"

#include <nlohmann/json.hpp>

#include <string_view>

namespace switchboard::mcp {

class ToolRunner {
public:
    // Both outlive this object.
    ToolRunner(connectors::ActionService& actions,
               const connectors::assistant::AssistantTools& assistant)
        : actions_(actions), assistant_(assistant) {}

    // `arguments` is the call's arguments object. Errors: internal ones only.
    Result<nlohmann::json> call(const auth::Principal& caller, const McpTool& tool,
                                const nlohmann::json& arguments,
                                std::string_view protocol_version) const;

private:
    connectors::ActionService& actions_;
    const connectors::assistant::AssistantTools& assistant_;
};

// The CallToolResult of a failure: isError, the API's error object as text.
nlohmann::json tool_error_result(const Error& error);

} // namespace switchboard::mcp
