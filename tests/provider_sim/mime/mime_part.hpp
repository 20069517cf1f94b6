// A MIME entity (RFC 2045/2046): headers, a transfer-decoded body, and for multipart/* its
// parts. Used for Gmail's RFC 2822 messages and Drive's multipart/related uploads.
#pragma once

#include "core/common/error.hpp"

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace switchboard::sim {

struct MimeHeader {
    std::string name;
    std::string value; // unfolded, as written (encoded-words not decoded)
};

struct MimePart {
    std::vector<MimeHeader> headers;
    std::string media_type = "text/plain";     // lowercased "type/subtype"
    std::map<std::string, std::string> params; // Content-Type parameters, names lowercased
    std::string transfer_encoding = "7bit";    // lowercased
    std::string disposition;                   // "attachment", "inline" or ""
    std::map<std::string, std::string> disposition_params;
    std::string body; // transfer-decoded bytes; empty for multipart/*
    std::vector<MimePart> parts;

    // The first header called `name` (case-insensitive), as written; empty if absent.
    std::string_view header(std::string_view name) const;
    bool is_multipart() const { return media_type.rfind("multipart/", 0) == 0; }
    // The file name (Content-Disposition filename, else Content-Type name), decoded.
    std::string filename() const;
    // The body as UTF-8, by the charset parameter (default us-ascii); nullopt if it is not
    // valid in that charset.
    std::optional<std::string> text() const;
};

// Parses a whole entity: header lines, an empty line, the body. CRLF or bare LF line ends.
Result<MimePart> parse_mime_entity(std::string_view raw);

// Parses a body whose Content-Type came from elsewhere (an HTTP request's header).
Result<MimePart> parse_mime_body(std::string_view content_type, std::string_view body);

// Removes every header called `name` from a raw message (Gmail strips Bcc from what
// recipients get).
std::string remove_header(std::string_view raw, std::string_view name);

} // namespace switchboard::sim
