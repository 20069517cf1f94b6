#include "host/mcp/mcp_protocol.hpp"

#include <spdlog/spdlog.h>

namespace switchboard::mcp {

using nlohmann::json;

namespace {

constexpr const char* kInstructions =
    "Switchboard acts on the accounts the user's organisation has connected: calendars, "
    "mailboxes, CRMs and drives. The tools follow what is connected now (the list changes "
    "when an account is connected or disconnected). Times are RFC 3339 with an offset. A "
    "failed call comes back with isError and a JSON error object whose code says what to do: "
    "invalid_params (fix the argument named in field), no_active_connector (ask the user to "
    "connect one), ambiguous_connector (name one with connector), rate_limited (wait "
    "retry_after_seconds).";

} // namespace

json internal_error(const json& id, const Error& error) {
    return jsonrpc::error(id, jsonrpc::internal_error, "internal error",
                          json{{"code", error.code}});
}

std::optional<json> McpProtocol::check_initialize(const jsonrpc::Message& request) const {
    const json& params = request.params;
    const auto bad = [&](const std::string& why) {
        return jsonrpc::error(request.id, jsonrpc::invalid_params, "invalid initialize params: " + why);
    };
    auto version = params.find("protocolVersion");
    if (version == params.end() || !version->is_string()) {
        return bad("protocolVersion must be a string");
    }
    auto capabilities = params.find("capabilities");
    if (capabilities == params.end() || !capabilities->is_object()) {
        return bad("capabilities must be an object");
    }
    auto client = params.find("clientInfo");
    if (client == params.end() || !client->is_object() || !client->contains("name") ||
        !(*client)["name"].is_string() || !client->contains("version") ||
        !(*client)["version"].is_string()) {
        return bad("clientInfo must be an object with the strings name and version");
    }
    return std::nullopt;
}

json McpProtocol::initialize_result(std::string_view version) const {
    return {{"protocolVersion", version},
            {"capabilities", {{"tools", {{"listChanged", true}}}}},
            {"serverInfo", {{"name", info_.name}, {"title", info_.title}, {"version", info_.version}}},
            {"instructions", kInstructions}};
}

json McpProtocol::answer(const SessionInfo& session, const auth::Principal& caller,
                         const jsonrpc::Message& request) const {
    if (request.method == "ping") return jsonrpc::result(request.id, json::object());
    if (request.method == "tools/list") return list_tools(session, caller, request);
    if (request.method == "tools/call") return call_tool(session, caller, request);
    if (request.method == "initialize") {
        return jsonrpc::error(request.id, jsonrpc::invalid_request,
                              "the session is already initialized; initialize again without "
                              "Mcp-Session-Id for a new one");
    }
    return jsonrpc::error(request.id, jsonrpc::method_not_found,
                          "method not found: " + request.method.substr(0, 128));
}

json McpProtocol::list_tools(const SessionInfo& session, const auth::Principal& caller,
                             const jsonrpc::Message& request) const {
    if (auto cursor = request.params.find("cursor"); cursor != request.params.end()) {
        // The whole list fits one page: this server never hands out a cursor.
        return jsonrpc::error(request.id, jsonrpc::invalid_params,
                              "invalid cursor: this server lists every tool on one page");
    }
    auto tools = catalog_.tools_for(caller, session.protocol_version);
    if (!tools) {
        spdlog::warn("MCP tools/list failed: {} ({})", tools.error().code, tools.error().message);
        return internal_error(request.id, tools.error());
    }
    json list = json::array();
    for (auto& tool : *tools) list.push_back(std::move(tool.definition));
    return jsonrpc::result(request.id, {{"tools", std::move(list)}});
}

json McpProtocol::call_tool(const SessionInfo& session, const auth::Principal& caller,
                            const jsonrpc::Message& request) const {
    const json& params = request.params;
    auto name = params.find("name");
    if (name == params.end() || !name->is_string()) {
        return jsonrpc::error(request.id, jsonrpc::invalid_params,
                              "tools/call needs params.name, a string");
    }
    json arguments = json::object();
    if (auto given = params.find("arguments"); given != params.end() && !given->is_null()) {
        if (!given->is_object()) {
            return jsonrpc::error(request.id, jsonrpc::invalid_params,
                                  "tools/call params.arguments must be an object");
        }
        arguments = *given;
    }
    auto tools = catalog_.tools_for(caller, session.protocol_version);
    if (!tools) return internal_error(request.id, tools.error());
    const std::string& wanted = name->get_ref<const std::string&>();
    for (const auto& tool : *tools) {
        if (tool.name != wanted) continue;
        auto result = runner_.call(caller, tool, arguments, session.protocol_version);
        if (!result) {
            spdlog::warn("MCP tools/call {} failed: {} ({})", tool.name, result.error().code,
                         result.error().message);
            return internal_error(request.id, result.error());
        }
        return jsonrpc::result(request.id, std::move(*result));
    }
    return jsonrpc::error(request.id, jsonrpc::invalid_params,
                          "Unknown tool: " + wanted.substr(0, 128) +
                              " (tools/list names the tools of what is connected now)");
}

} // namespace switchboard::mcp
