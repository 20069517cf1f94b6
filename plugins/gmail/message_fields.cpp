#include "plugins/gmail/message_fields.hpp"

#include "plugins/gmail/html_entities.hpp"
#include "plugins/gmail/message_payload.hpp"
#include "plugins/gmail/mime/address_list.hpp"
#include "plugins/gmail/mime/encoded_word.hpp"
#include "plugins/gmail/mime/mail_date.hpp"

#include <charconv>
#include <cstdint>

namespace switchboard::plugins::gmail {
namespace {

const nlohmann::json& headers_of(const nlohmann::json& message) {
    static const nlohmann::json none = nlohmann::json::array();
    if (!message.is_object()) return none;
    const auto payload = message.find("payload");
    if (payload == message.end() || !payload->is_object()) return none;
    const auto headers = payload->find("headers");
    return headers != payload->end() && headers->is_array() ? *headers : none;
}

nlohmann::json address_json(const mime::ParsedAddress& a) {
    nlohmann::json out = {{"email", a.email}};
    if (!a.name.empty()) out["name"] = a.name;
    return out;
}

std::string trimmed(const std::string& text) {
    const auto first = text.find_first_not_of(" \t\r\n");
    if (first == std::string::npos) return {};
    return text.substr(first, text.find_last_not_of(" \t\r\n") - first + 1);
}

} // namespace

nlohmann::json address_list_json(const std::string* header_value) {
    nlohmann::json out = nlohmann::json::array();
    if (header_value == nullptr) return out;
    for (const auto& a : mime::parse_address_list(*header_value)) out.push_back(address_json(a));
    return out;
}

std::optional<std::string> message_date(const nlohmann::json& message) {
    if (const std::string* date = find_header(headers_of(message), "Date")) {
        if (auto parsed = mime::rfc5322_to_rfc3339(*date)) return parsed;
    }
    if (!message.is_object()) return std::nullopt;
    const auto internal = message.find("internalDate"); // int64 travels as a JSON string
    if (internal == message.end() || !internal->is_string()) return std::nullopt;
    const std::string& text = internal->get_ref<const std::string&>();
    std::int64_t ms = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), ms);
    // Up to the year 9999, so the RFC 3339 text keeps four digits.
    if (ec != std::errc() || end != text.data() + text.size() || ms < 0 || ms > 253402300799999) {
        return std::nullopt;
    }
    return mime::rfc3339_utc(ms);
}

bool is_contract_id(const nlohmann::json& value) {
    constexpr std::size_t max_id_length = 1024; // the contract's Id
    return value.is_string() && !value.get_ref<const std::string&>().empty() &&
           value.get_ref<const std::string&>().size() <= max_id_length;
}

std::optional<nlohmann::json> common_fields(const nlohmann::json& message, bool with_defaults) {
    if (!message.is_object()) return std::nullopt;
    const auto id = message.find("id");
    if (id == message.end() || !is_contract_id(*id)) return std::nullopt;
    nlohmann::json out = {{"id", *id}};
    if (const auto t = message.find("threadId"); t != message.end() && t->is_string()) out["thread_id"] = *t;
    if (const auto l = message.find("labelIds"); l != message.end() && l->is_array()) {
        nlohmann::json labels = nlohmann::json::array();
        for (const auto& label : *l) {
            if (label.is_string()) labels.push_back(label);
        }
        out["label_ids"] = std::move(labels);
    }
    if (const auto s = message.find("snippet"); s != message.end() && s->is_string()) {
        out["snippet"] = decode_html_entities(s->get_ref<const std::string&>());
    }

    const nlohmann::json& headers = headers_of(message);
    const nlohmann::json from = address_list_json(find_header(headers, "From"));
    if (!from.empty()) {
        out["from"] = from[0];
    } else if (with_defaults) {
        out["from"] = {{"email", ""}}; // no From header (e.g. a draft): the sender is unknown
    }
    if (const std::string* subject = find_header(headers, "Subject")) {
        out["subject"] = trimmed(mime::decode_header_text(*subject));
    } else if (with_defaults) {
        out["subject"] = "";
    }
    if (auto date = message_date(message)) out["date"] = *date;
    return out;
}

std::optional<nlohmann::json> email_fields(const nlohmann::json& message) {
    auto out = common_fields(message, /*with_defaults=*/true);
    if (!out) return std::nullopt;
    const nlohmann::json& headers = headers_of(message);
    (*out)["to"] = address_list_json(find_header(headers, "To"));
    for (const auto& [header, key] : {std::pair{"Cc", "cc"}, {"Bcc", "bcc"}, {"Reply-To", "reply_to"}}) {
        if (const std::string* value = find_header(headers, header)) {
            (*out)[key] = address_list_json(value);
        }
    }
    if (const std::string* id = find_header(headers, "Message-ID")) {
        (*out)["message_id_header"] = trimmed(*id);
    }
    return out;
}

} // namespace switchboard::plugins::gmail
