// create_crm_contact -> crm.create_contact: `name` is split at its first space into first and
// last name, unless first_name or last_name is given.
#include "core/connectors/assistant/assistant_tool.hpp"

namespace switchboard::connectors::assistant {

using nlohmann::json;

AssistantTool create_crm_contact() {
    AssistantTool tool;
    tool.name = "create_crm_contact";
    tool.category = "crm";
    tool.action = "create_contact";
    tool.noun = "CRM";
    tool.to_params = [](const json& arguments) -> Result<json> {
        json params = {{"email", arguments.at("email")}};
        for (const char* field : {"first_name", "last_name", "company", "phone", "job_title"}) {
            if (auto it = arguments.find(field); it != arguments.end()) params[field] = *it;
        }
        auto name = arguments.find("name");
        if (name != arguments.end() && !params.contains("first_name") &&
            !params.contains("last_name")) {
            const std::string full = name->get<std::string>();
            const auto space = full.find(' ');
            params["first_name"] = full.substr(0, space);
            if (space != std::string::npos && space + 1 < full.size()) {
                params["last_name"] = full.substr(space + 1);
            }
        }
        return params;
    };
    tool.to_answer = [](const json&, const json& contact) {
        json answer = {{"contact_id", contact.at("id")}};
        if (auto url = contact.find("url"); url != contact.end() && url->is_string()) {
            answer["url"] = *url;
        }
        return answer;
    };
    return tool;
}

} // namespace switchboard::connectors::assistant
