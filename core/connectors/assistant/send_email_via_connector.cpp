// send_email_via_connector -> email.send_email: plain addresses become address objects, the
// body the plain-text part, html_body the HTML alternative.
#include "core/connectors/assistant/assistant_tool.hpp"

namespace switchboard::connectors::assistant {

using nlohmann::json;

namespace {

json addresses(const json& emails) {
    json out = json::array();
    for (const auto& email : emails) {
        out.push_back({{"email", email}});
    }
    return out;
}

} // namespace

AssistantTool send_email_via_connector() {
    AssistantTool tool;
    tool.name = "send_email_via_connector";
    tool.category = "email";
    tool.action = "send_email";
    tool.noun = "email account";
    tool.to_params = [](const json& arguments) -> Result<json> {
        json params = {{"to", addresses(arguments.at("to"))},
                       {"subject", arguments.at("subject")},
                       {"text_body", arguments.at("body")}};
        for (const char* list : {"cc", "bcc"}) {
            if (auto it = arguments.find(list); it != arguments.end() && !it->empty()) {
                params[list] = addresses(*it);
            }
        }
        if (auto html = arguments.find("html_body"); html != arguments.end()) {
            params["html_body"] = *html;
        }
        if (auto reply_to = arguments.find("reply_to"); reply_to != arguments.end()) {
            params["reply_to"] = {{"email", *reply_to}};
        }
        return params;
    };
    tool.to_answer = [](const json&, const json& sent) {
        json answer = {{"message_id", sent.at("id")}};
        if (auto thread = sent.find("thread_id"); thread != sent.end() && thread->is_string()) {
            answer["thread_id"] = *thread;
        }
        return answer;
    };
    return tool;
}

} // namespace switchboard::connectors::assistant
