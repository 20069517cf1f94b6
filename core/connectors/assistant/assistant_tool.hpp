// One of the seed's assistant tools: which category action it runs, and how its arguments
// become that action's params and the action's result becomes its answer. The arguments have
// already been checked against the tool's schema (assistant.schema.json) when these run.
#pragma once

#include "core/common/error.hpp"

#include <nlohmann/json.hpp>

#include <functional>
#include <string>

namespace switchboard::connectors::assistant {

struct AssistantTool {
    std::string name;     // e.g. "book_meeting_via_connector"
    std::string category; // the category whose action it runs, e.g. "calendar"
    std::string action;   // e.g. "create_event"
    // How the answer names the category when none is connected: "No <noun> connected".
    std::string noun;
    // The action's params from the tool's arguments (without `connector`).
    std::function<Result<nlohmann::json>(const nlohmann::json& arguments)> to_params;
    // The successful answer from the action's result ("success": true is added).
    std::function<nlohmann::json(const nlohmann::json& arguments, const nlohmann::json& result)>
        to_answer;
};

AssistantTool book_meeting_via_connector();
AssistantTool send_email_via_connector();
AssistantTool create_crm_contact();

} // namespace switchboard::connectors::assistant
