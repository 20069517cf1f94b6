// Finding the plain-text and HTML bodies in a Gmail message's MIME part tree (Message.payload
// of messages.get with format=full: MessagePart {mimeType, headers, body {data, attachmentId,
// size}, parts[]}).
#pragma once

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <string_view>

namespace switchboard::plugins::gmail {

// One text part chosen as a body.
struct BodyPart {
    std::string charset;       // from its Content-Type header ("" when none)
    std::string data;          // body.data: base64url of the decoded content bytes; may be ""
    std::string attachment_id; // body.attachmentId when Gmail left the content out
};

struct MessageBodies {
    std::optional<BodyPart> text; // the first text/plain part
    std::optional<BodyPart> html; // the first text/html part
};

// Walks the tree depth-first in part order (so in multipart/mixed -> multipart/alternative
// the alternative's parts are found, and within it the first of each type). Parts that are
// attachments (a filename or Content-Disposition: attachment) are not bodies, nor is anything
// inside an attached message (message/rfc822). Nesting deeper than 32 levels is not followed.
MessageBodies find_bodies(const nlohmann::json& payload);

// The value of the first header called `name` (any case) in a MessagePartHeader array, or
// nullptr. Tolerates a missing or malformed array.
const std::string* find_header(const nlohmann::json& headers, std::string_view name);

struct BodyText {
    std::string utf8;
    bool exact = true; // false when the charset was unknown or bytes were invalid in it
};

// The text of a body: base64url-decoded (padding optional) and converted from `charset` to
// UTF-8 (see mime/charset.hpp); nullopt when `data` is not base64url.
std::optional<BodyText> decode_body(std::string_view data, std::string_view charset);

} // namespace switchboard::plugins::gmail
