// An RFC 2822 message as tests want to check it: who it goes to, its subject, its plain and
// HTML text (decoded from quoted-printable or base64 and from the charset to UTF-8) and its
// attachments.
#pragma once

#include "core/common/error.hpp"
#include "tests/provider_sim/mime/address_list.hpp"
#include "tests/provider_sim/mime/mime_part.hpp"

#include <nlohmann/json.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace switchboard::sim {

struct EmailAttachment {
    std::string filename;
    std::string media_type;
    std::size_t size = 0; // decoded bytes
};

struct EmailMessage {
    std::vector<EmailAddress> from;
    std::vector<EmailAddress> to;
    std::vector<EmailAddress> cc;
    std::vector<EmailAddress> bcc;
    std::vector<EmailAddress> reply_to;
    std::string subject; // decoded to UTF-8
    std::string message_id;
    std::string in_reply_to;
    std::string references;
    std::string text; // the first text/plain part that is not an attachment, UTF-8
    std::string html; // the first text/html part that is not an attachment, UTF-8
    std::vector<EmailAttachment> attachments;
    MimePart root;

    // Every address of To, Cc and Bcc.
    std::vector<std::string> recipients() const;
};

// Fails with a message naming what is wrong (bad header, bad address, undecodable part).
Result<EmailMessage> parse_email(std::string_view raw);

nlohmann::json to_json(const EmailMessage& message);

} // namespace switchboard::sim
