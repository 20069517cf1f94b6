#include "plugins/gmail/message_payload.hpp"

#include "plugins/common/base64.hpp"
#include "plugins/gmail/mime/ascii_text.hpp"
#include "plugins/gmail/mime/charset.hpp"
#include "plugins/gmail/mime/parameterized_value.hpp"

namespace switchboard::plugins::gmail {
namespace {

constexpr int max_depth = 32;

std::string string_member(const nlohmann::json& object, const char* key) {
    if (!object.is_object()) return {};
    const auto it = object.find(key);
    return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

bool is_attachment(const nlohmann::json& part) {
    if (!string_member(part, "filename").empty()) return true;
    const nlohmann::json headers = part.is_object() && part.contains("headers") ? part["headers"] : nlohmann::json();
    if (const std::string* disposition = find_header(headers, "Content-Disposition")) {
        return mime::parse_parameterized_value(*disposition).value == "attachment";
    }
    return false;
}

void walk(const nlohmann::json& part, int depth, MessageBodies& out) {
    if (!part.is_object() || depth > max_depth) return;
    std::string type = string_member(part, "mimeType");
    for (char& c : type) {
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    }
    if (type.starts_with("multipart/")) {
        const auto parts = part.find("parts");
        if (parts == part.end() || !parts->is_array()) return;
        for (const auto& child : *parts) {
            walk(child, depth + 1, out);
            if (out.text && out.html) return;
        }
        return;
    }
    const bool text = type == "text/plain";
    const bool html = type == "text/html";
    if ((!text && !html) || is_attachment(part)) return;
    std::optional<BodyPart>& slot = text ? out.text : out.html;
    if (slot) return;
    BodyPart body;
    const auto headers = part.find("headers");
    if (headers != part.end()) {
        if (const std::string* content_type = find_header(*headers, "Content-Type")) {
            const auto parsed = mime::parse_parameterized_value(*content_type);
            if (const auto it = parsed.params.find("charset"); it != parsed.params.end()) {
                body.charset = it->second;
            }
        }
    }
    const auto b = part.find("body");
    if (b != part.end()) {
        body.data = string_member(*b, "data");
        body.attachment_id = string_member(*b, "attachmentId");
    }
    slot = std::move(body);
}

} // namespace

MessageBodies find_bodies(const nlohmann::json& payload) {
    MessageBodies out;
    walk(payload, 0, out);
    return out;
}

const std::string* find_header(const nlohmann::json& headers, std::string_view name) {
    if (!headers.is_array()) return nullptr;
    for (const auto& h : headers) {
        if (!h.is_object()) continue;
        const auto n = h.find("name");
        const auto v = h.find("value");
        if (n == h.end() || v == h.end() || !n->is_string() || !v->is_string()) continue;
        if (mime::iequals(n->get_ref<const std::string&>(), name)) return &v->get_ref<const std::string&>();
    }
    return nullptr;
}

std::optional<BodyText> decode_body(std::string_view data, std::string_view charset) {
    // Gmail writes base64url; accept the standard alphabet too, as some clients of the API do.
    auto bytes = base64::decode(data, base64::Alphabet::url, /*skip_whitespace=*/true);
    if (!bytes) bytes = base64::decode(data, base64::Alphabet::standard, /*skip_whitespace=*/true);
    if (!bytes) return std::nullopt;
    const mime::DecodedText text = mime::to_utf8(*bytes, charset);
    return BodyText{text.utf8, text.exact};
}

} // namespace switchboard::plugins::gmail
