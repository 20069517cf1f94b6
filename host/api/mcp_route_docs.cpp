#include "host/api/mcp_route_docs.hpp"

#include "host/api/openapi_document.hpp"

namespace switchboard::api {

namespace http = server::http;
using nlohmann::json;

namespace {

constexpr const char* kPath = "/mcp";

json header(const char* name, const char* description, bool required) {
    return {{"name", name},
            {"in", "header"},
            {"required", required},
            {"description", description},
            {"schema", {{"type", "string"}}}};
}

json jsonrpc_message() {
    return {{"type", "object"},
            {"required", {"jsonrpc"}},
            {"properties",
             {{"jsonrpc", {{"const", "2.0"}}},
              {"id", {{"type", {"string", "integer"}}}},
              {"method", {{"type", "string"}}},
              {"params", {{"type", "object"}}},
              {"result", {{"type", "object"}}},
              {"error", {{"type", "object"}}}}},
            {"description", "A JSON-RPC 2.0 message of the Model Context Protocol."}};
}

ApiRoute documented(http::verb method, json operation, std::vector<unsigned> errors) {
    ApiRoute route;
    route.method = method;
    route.pattern = kPath;
    route.authenticated = true;
    route.error_statuses = std::move(errors);
    route.docs = {{kPath, std::move(operation)}};
    return route;
}

} // namespace

std::vector<ApiRoute> mcp_route_docs() {
    const json session = header("Mcp-Session-Id",
                                "The session initialize opened; required on every other "
                                "message (400 without, 404 when unknown).",
                                false);
    const json version = header("MCP-Protocol-Version",
                                "The negotiated revision (2025-11-25, 2025-06-18 or 2025-03-26); "
                                "another is 400.",
                                false);
    std::vector<ApiRoute> routes;
    routes.push_back(documented(
        http::verb::post,
        {{"operationId", "mcpPost"},
         {"tags", {"mcp"}},
         {"summary", "Send an MCP message (Streamable HTTP transport)"},
         {"description",
          "One JSON-RPC message per POST (a batch only in a 2025-03-26 session). initialize "
          "without Mcp-Session-Id opens a session, named in the answer's Mcp-Session-Id. "
          "Methods: initialize, ping, tools/list (one tool per action of what the tenant has "
          "connected, and the assistant tools), tools/call. A request answers application/json; "
          "a notification or response 202. A present Origin that is not allowed is 403."},
         {"security", bearer_security()},
         {"parameters", {session, version}},
         {"requestBody", {{"required", true}, {"content", json_content(jsonrpc_message())}}},
         {"responses",
          {{"200",
            {{"description", "The JSON-RPC response.",},
             {"headers", {{"Mcp-Session-Id", {{"schema", {{"type", "string"}}}}}}},
             {"content", json_content(jsonrpc_message())}}},
           {"202", {{"description", "A notification or response was accepted."}}},
           {"400", {{"description", "Not JSON (-32700), not a valid JSON-RPC message, no "
                                    "session, a batch outside 2025-03-26, or an unsupported "
                                    "MCP-Protocol-Version (-32600): a JSON-RPC error."}}},
           {"403", {{"description", "Origin not allowed (JSON-RPC error without id)."}}},
           {"404", {{"description", "Unknown or expired session: initialize again."}}},
           {"406", {{"description", "The client does not accept application/json."}}},
           {"415", {{"description", "The body is not application/json."}}}}}},
        {401, 413}));
    routes.push_back(documented(
        http::verb::get,
        {{"operationId", "mcpEvents"},
         {"tags", {"mcp"}},
         {"summary", "The session's event stream (server-sent events)"},
         {"description",
          "notifications/tools/list_changed when the tenant connects or disconnects an account "
          "on this instance. Served as long polls: the answer comes with the next event or "
          "after about 25 s, ends with an SSE `retry`, and the client reconnects (with "
          "Last-Event-ID to resume)."},
         {"security", bearer_security()},
         {"parameters",
          {session, version,
           header("Last-Event-ID", "The id of the last event received, to resume after it.",
                  false)}},
         {"responses",
          {{"200",
            {{"description", "Server-sent events.",},
             {"content", {{"text/event-stream", {{"schema", {{"type", "string"}}}}}}}}},
           {"400", {{"description", "No session, or an unsupported MCP-Protocol-Version."}}},
           {"403", {{"description", "Origin not allowed."}}},
           {"404", {{"description", "Unknown or expired session."}}},
           {"406", {{"description", "The client does not accept text/event-stream."}}}}}},
        {401}));
    routes.push_back(documented(
        http::verb::delete_,
        {{"operationId", "mcpEndSession"},
         {"tags", {"mcp"}},
         {"summary", "End the MCP session"},
         {"security", bearer_security()},
         {"parameters", {session, version}},
         {"responses",
          {{"204", {{"description", "The session is gone."}}},
           {"400", {{"description", "No session header."}}},
           {"403", {{"description", "Origin not allowed."}}},
           {"404", {{"description", "Unknown or expired session."}}}}}},
        {401}));
    return routes;
}

} // namespace switchboard::api
