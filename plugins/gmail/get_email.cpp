#include "plugins/gmail/actions.hpp"

#include "plugins/gmail/gmail_api.hpp"
#include "plugins/gmail/message_fields.hpp"
#include "plugins/gmail/message_payload.hpp"
#include "switchboard/params.hpp"

#include <nlohmann/json.hpp>

namespace switchboard::plugins::gmail {
namespace {

using nlohmann::json;

// The text of `part`: its inline data, or the content Gmail keeps apart (a large body comes
// with an attachmentId instead of data). An error Outcome when the content cannot be had.
std::optional<sdk::Outcome> body_text(sdk::Call& call, const std::string& message_id,
                                      const BodyPart& part, std::optional<std::string>& out) {
    std::string data = part.data;
    if (data.empty() && !part.attachment_id.empty()) {
        const sdk::HttpResponse response = call.get(attachment_path(message_id, part.attachment_id));
        if (!response.ok()) return gmail_error(response);
        const json body = json::parse(response.body, nullptr, false);
        if (!body.is_object() || !body.contains("data") || !body["data"].is_string()) {
            return unreadable_response("the body's attachment has no data");
        }
        data = body["data"].get<std::string>();
    }
    const auto text = decode_body(data, part.charset);
    if (!text) return unreadable_response("a body is not base64url");
    if (!text->exact) {
        call.host().warning("get_email: a body in charset '" + part.charset.substr(0, 40) +
                            "' could not be converted exactly; unconvertible bytes became U+FFFD");
    }
    out = text->utf8;
    return std::nullopt;
}

} // namespace

sdk::Outcome get_email(sdk::Call& call, std::string_view params_json) {
    sdk::Params params(params_json);
    const auto id = params.string("email_id", {.required = true, .min_length = 1});
    if (!params.ok()) return params.error();

    const sdk::HttpResponse response = call.get(message_path(*id, "full"));
    if (!response.ok()) return gmail_error(response);
    const json message = json::parse(response.body, nullptr, false);
    auto email = email_fields(message);
    if (!email) return unreadable_response("the message has no id of 1 to 1024 characters");

    const MessageBodies bodies = find_bodies(message.value("payload", json::object()));
    for (const auto& [part, key] : {std::pair{&bodies.text, "text_body"}, {&bodies.html, "html_body"}}) {
        if (!*part) continue;
        std::optional<std::string> text;
        if (auto failed = body_text(call, (*email)["id"].get<std::string>(), **part, text)) return *failed;
        (*email)[key] = std::move(*text);
    }
    return sdk::Outcome::success(dump(*email));
}

} // namespace switchboard::plugins::gmail
