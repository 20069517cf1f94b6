#include "plugins/gmail/actions.hpp"

#include "plugins/common/base64.hpp"
#include "plugins/gmail/gmail_api.hpp"
#include "plugins/gmail/message_fields.hpp"

#include "switchboard/params.hpp"

#include <nlohmann/json.hpp>

namespace switchboard::plugins::gmail {
namespace {

using nlohmann::json;

// The mailbox at `at`: {"email", "name"?}.
std::optional<mime::Mailbox> read_mailbox(sdk::Params& params, const std::string& at) {
    if (params.object(at, {.required = true}) == nullptr) return std::nullopt;
    auto email = params.string(at + "/email", {.required = true});
    auto name = params.string(at + "/name");
    if (!email) return std::nullopt;
    return mime::Mailbox{std::move(*email), name.value_or("")};
}

std::vector<mime::Mailbox> read_list(sdk::Params& params, const char* key, bool required) {
    std::vector<mime::Mailbox> out;
    const json* list = params.array(key, {.required = required, .min_items = required ? 1u : 0u});
    if (list == nullptr) return out;
    for (std::size_t i = 0; i < list->size() && params.ok(); ++i) {
        if (auto m = read_mailbox(params, sdk::Params::child(sdk::Params::pointer(key), i))) {
            out.push_back(std::move(*m));
        }
    }
    return out;
}

sdk::Outcome sent_result(const sdk::HttpResponse& response) {
    const json message = json::parse(response.body, nullptr, false);
    if (!message.is_object() || !message.contains("id") || !is_contract_id(message["id"])) {
        return unreadable_response("the sent message has no id of 1 to 1024 characters");
    }
    json result = {{"id", message["id"]}};
    if (message.contains("threadId") && message["threadId"].is_string()) {
        result["thread_id"] = message["threadId"];
    }
    json labels = json::array();
    if (message.contains("labelIds") && message["labelIds"].is_array()) {
        for (const auto& label : message["labelIds"]) {
            if (label.is_string()) labels.push_back(label);
        }
    }
    result["label_ids"] = std::move(labels);
    return sdk::Outcome::success(dump(result));
}

} // namespace

sdk::Outcome send_email(sdk::Call& call, std::string_view params_json,
                        const mime::MessageContext& context) {
    sdk::Params params(params_json);
    mime::OutgoingMessage message;
    message.to = read_list(params, "to", /*required=*/true);
    message.cc = read_list(params, "cc", false);
    message.bcc = read_list(params, "bcc", false);
    if (params.object("reply_to") != nullptr) message.reply_to = read_mailbox(params, "/reply_to");
    message.subject = params.string("subject", {.required = true}).value_or("");
    message.text_body = params.string("text_body");
    message.html_body = params.string("html_body");
    message.in_reply_to = params.string("in_reply_to");
    if (params.ok() && !message.text_body && !message.html_body) {
        params.fail("", "'text_body' or 'html_body' is required");
    }
    if (!params.ok()) return params.error();

    const mime::BuildResult built = mime::build_message(message, context);
    if (!built.ok() && built.error_field.empty()) return sdk::Outcome::internal(built.error);
    if (!built.ok()) {
        return sdk::Outcome::invalid_input("invalid_header_value", built.error, built.error_field);
    }

    const json body = {{"raw", base64::encode(built.message, base64::Alphabet::url)}};
    const sdk::HttpResponse response = call.send_json("POST", send_path(), body.dump());
    if (!response.ok()) return gmail_error(response);
    return sent_result(response);
}

} // namespace switchboard::plugins::gmail
