#include "core/connectors/assistant/assistant_tools.hpp"

#include "core/connectors/assistant/assistant_contract.hpp"

#include <spdlog/spdlog.h>

namespace switchboard::connectors::assistant {

using nlohmann::json;

namespace {

// The reason an answer gives for a failed action: the seed's words where it has them.
std::string reason(const AssistantTool& tool, const Error& error,
                   const std::optional<std::string>& connector) {
    if (error.code == "no_active_connector") {
        return connector ? "No " + tool.noun + " named '" + *connector + "' is connected"
                         : "No " + tool.noun + " connected";
    }
    if (error.code == "ambiguous_connector") {
        return "Several " + tool.noun + " connectors are active; name one with the connector "
               "argument";
    }
    return error.message;
}

} // namespace

const std::vector<AssistantTool>& assistant_tools() {
    static const std::vector<AssistantTool> tools = {
        book_meeting_via_connector(), send_email_via_connector(), create_crm_contact()};
    return tools;
}

const AssistantTool* find_assistant_tool(std::string_view name) {
    for (const auto& tool : assistant_tools()) {
        if (tool.name == name) return &tool;
    }
    return nullptr;
}

Result<AssistantAnswer> AssistantTools::run(const auth::Principal& caller, std::string_view name,
                                            const json& arguments,
                                            const std::optional<std::string>& idempotency_key,
                                            const std::optional<std::string>& connector_id) const {
    const AssistantTool* tool = find_assistant_tool(name);
    if (tool == nullptr) {
        return Error(ErrorKind::not_found, "unknown_tool",
                     "there is no assistant tool '" + std::string(name.substr(0, 128)) + "'");
    }
    const plugin::ContractCatalog& contract = assistant_contract();
    if (auto valid = contract.validate_params(contract_category, tool->name, arguments); !valid) {
        return valid.error();
    }
    json rest = arguments;
    std::optional<std::string> connector;
    if (auto it = rest.find("connector"); it != rest.end()) {
        connector = it->get<std::string>();
        rest.erase(it);
    }
    auto params = tool->to_params(rest);
    if (!params) return params.error();

    ActionRequest request;
    request.category = tool->category;
    request.action = tool->action;
    request.connector_id = connector_id;
    if (!connector_id) request.connector_name = connector;
    request.params_json = params->dump();
    request.idempotency_key = idempotency_key;
    auto outcome = actions_.run(caller, request);
    if (!outcome) {
        const Error& error = outcome.error();
        if (error.kind == ErrorKind::internal) return error;
        json answer = {{"success", false}, {"error", reason(*tool, error, connector)},
                       {"code", error.code}};
        if (error.retry_after_seconds) answer["retry_after_seconds"] = *error.retry_after_seconds;
        return AssistantAnswer{std::move(answer), false};
    }
    json answer = tool->to_answer(rest, outcome->result);
    answer["success"] = true;
    answer["connector_id"] = outcome->connector_id;
    answer["provider"] = outcome->provider;
    if (auto valid = contract.validate_result(contract_category, tool->name, answer); !valid) {
        // The action's result passed its own contract; an answer that does not fit the tool's is
        // this file's bug, not the provider's.
        spdlog::error("assistant tool {} built an answer outside its schema: {}", tool->name,
                      valid.error().message);
        return Error(ErrorKind::internal, "assistant_answer_invalid",
                     "the assistant tool built an answer outside its schema");
    }
    return AssistantAnswer{std::move(answer), outcome->replayed};
}

} // namespace switchboard::connectors::assistant
