#include "tests/provider_sim/mime/email_message.hpp"

#include "tests/provider_sim/mime/encoded_words.hpp"

namespace switchboard::sim {
namespace {

Result<void> read_addresses(const MimePart& root, std::string_view header, std::vector<EmailAddress>& out) {
    for (const auto& h : root.headers) {
        if (h.name.size() != header.size() ||
            !std::equal(h.name.begin(), h.name.end(), header.begin(), [](char a, char b) {
                return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
            })) {
            continue;
        }
        auto list = parse_address_list(h.value);
        if (!list) {
            return Error(ErrorKind::invalid_input, "invalid_address",
                         "Invalid " + std::string(header) + " header: " + list.error().message);
        }
        out.insert(out.end(), list->begin(), list->end());
    }
    return {};
}

Result<void> collect(const MimePart& part, EmailMessage& message) {
    if (part.is_multipart()) {
        for (const auto& child : part.parts) {
            if (auto r = collect(child, message); !r) {
                return r;
            }
        }
        return {};
    }
    const bool attachment = part.disposition == "attachment" ||
                            (!part.filename().empty() && part.disposition != "inline");
    const bool text = part.media_type == "text/plain" || part.media_type == "text/html";
    if (text && !attachment) {
        auto decoded = part.text();
        if (!decoded) {
            const auto cs = part.params.find("charset");
            return Error(ErrorKind::invalid_input, "invalid_charset",
                         "a " + part.media_type + " part is not valid " +
                             (cs == part.params.end() ? std::string("us-ascii") : cs->second));
        }
        std::string& slot = part.media_type == "text/plain" ? message.text : message.html;
        if (slot.empty()) {
            slot = std::move(*decoded);
        }
        return {};
    }
    if (part.media_type != "message/rfc822" || attachment) {
        message.attachments.push_back({part.filename(), part.media_type, part.body.size()});
    }
    return {};
}

nlohmann::json addresses_json(const std::vector<EmailAddress>& list) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& a : list) {
        out.push_back({{"name", a.name}, {"address", a.address}});
    }
    return out;
}

} // namespace

std::vector<std::string> EmailMessage::recipients() const {
    std::vector<std::string> out;
    for (const auto* list : {&to, &cc, &bcc}) {
        for (const auto& a : *list) {
            out.push_back(a.address);
        }
    }
    return out;
}

Result<EmailMessage> parse_email(std::string_view raw) {
    auto root = parse_mime_entity(raw);
    if (!root) {
        return root.error();
    }
    EmailMessage message;
    message.root = std::move(*root);
    for (const auto& [header, list] :
         {std::pair<std::string_view, std::vector<EmailAddress>*>{"From", &message.from},
          {"To", &message.to}, {"Cc", &message.cc}, {"Bcc", &message.bcc}, {"Reply-To", &message.reply_to}}) {
        if (auto r = read_addresses(message.root, header, *list); !r) {
            return r.error();
        }
    }
    message.subject = decode_encoded_words(message.root.header("Subject"));
    message.message_id = std::string(message.root.header("Message-ID"));
    message.in_reply_to = std::string(message.root.header("In-Reply-To"));
    message.references = std::string(message.root.header("References"));
    if (auto r = collect(message.root, message); !r) {
        return r.error();
    }
    return message;
}

nlohmann::json to_json(const EmailMessage& m) {
    nlohmann::json attachments = nlohmann::json::array();
    for (const auto& a : m.attachments) {
        attachments.push_back({{"filename", a.filename}, {"mime_type", a.media_type}, {"size", a.size}});
    }
    return {{"from", addresses_json(m.from)}, {"to", addresses_json(m.to)},
            {"cc", addresses_json(m.cc)},     {"bcc", addresses_json(m.bcc)},
            {"reply_to", addresses_json(m.reply_to)}, {"subject", m.subject},
            {"message_id", m.message_id},     {"in_reply_to", m.in_reply_to},
            {"text", m.text},                 {"html", m.html},
            {"attachments", attachments}};
}

} // namespace switchboard::sim
