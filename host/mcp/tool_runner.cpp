#include "host/mcp/tool_runner.hpp"

#include "host/mcp/protocol_version.hpp"

namespace switchboard::mcp {

using nlohmann::json;

namespace {

std::string text_of(const json& value) {
    return value.dump(-1, ' ', false, json::error_handler_t::replace);
}

json success_result(json structured, bool is_error, std::string_view protocol_version) {
    json result = {{"content", json::array({{{"type", "text"}, {"text", text_of(structured)}}})},
                   {"isError", is_error}};
    if (has_structured_tools(protocol_version)) result["structuredContent"] = std::move(structured);
    return result;
}

// The connector the `connector` argument names among the tool's choices.
Result<std::optional<std::string>> chosen_connector(const McpTool& tool, json& arguments) {
    auto it = arguments.find(std::string(connector_argument));
    if (it == arguments.end() || tool.connectors.size() < 2) return std::optional<std::string>();
    std::string allowed;
    if (it->is_string()) {
        for (const auto& choice : tool.connectors) {
            if (choice.value == it->get_ref<const std::string&>()) {
                arguments.erase(it);
                return std::optional<std::string>(choice.connector_id);
            }
        }
    }
    for (const auto& choice : tool.connectors) {
        allowed += (allowed.empty() ? "" : ", ") + ("\"" + choice.value + "\"");
    }
    return Error(ErrorKind::invalid_input, "invalid_params",
                 "/connector: must be one of " + allowed, "/connector");
}

} // namespace

json tool_error_result(const Error& error) {
    json body = {{"code", error.code}, {"message", error.message}};
    if (!error.field.empty()) body["field"] = error.field;
    if (error.retry_after_seconds) body["retry_after_seconds"] = *error.retry_after_seconds;
    return {{"content",
             json::array({{{"type", "text"}, {"text", text_of(json{{"error", std::move(body)}})}}})},
            {"isError", true}};
}

Result<json> ToolRunner::call(const auth::Principal& caller, const McpTool& tool,
                              const json& call_arguments, std::string_view protocol_version) const {
    json arguments = call_arguments;
    auto connector = chosen_connector(tool, arguments);
    if (!connector) return tool_error_result(connector.error());

    if (tool.assistant) {
        auto answered = assistant_.run(caller, tool.name, arguments, std::nullopt, *connector);
        if (!answered) {
            if (answered.error().kind == ErrorKind::internal) return answered.error();
            return tool_error_result(answered.error());
        }
        const bool failed = answered->answer.value("success", false) == false;
        return success_result(std::move(answered->answer), failed, protocol_version);
    }

    connectors::ActionRequest request;
    request.category = tool.category;
    request.action = tool.action;
    request.connector_id = *connector;
    request.params_json = arguments.dump();
    auto outcome = actions_.run(caller, request);
    if (!outcome) {
        if (outcome.error().kind == ErrorKind::internal) return outcome.error();
        return tool_error_result(outcome.error());
    }
    return success_result(std::move(outcome->result), false, protocol_version);
}

} // namespace switchboard::mcp
