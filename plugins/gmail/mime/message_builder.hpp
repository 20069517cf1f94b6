// Building an outgoing e-mail as an RFC 5322 message with MIME (RFC 2045-2047) bodies:
// CRLF line endings, every line within 998 octets (78 for headers wherever the content
// allows), 7-bit clean, and no way for a value to add a header line.
//
//   Date, Message-ID, Subject, To, Cc, Bcc, Reply-To, In-Reply-To, References, MIME-Version,
//   then Content-Type (and Content-Transfer-Encoding):
//     text only   text/plain; charset=UTF-8         quoted-printable or base64
//     HTML only   text/html; charset=UTF-8          quoted-printable or base64
//     both        multipart/alternative; boundary="=_sb_<random>"  with the text part first
//                 (the least preferred, RFC 2046 §5.1.4), then the HTML part
//
// There is no From header: the Gmail API writes the account's own address, which is the only
// one it lets the account send as anyway. Bcc stays in the message because Gmail takes the
// recipients from the headers and removes Bcc itself before delivery.
#pragma once

#include "plugins/gmail/mime/mailbox.hpp"

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace switchboard::plugins::gmail::mime {

struct OutgoingMessage {
    std::vector<Mailbox> to;
    std::vector<Mailbox> cc;
    std::vector<Mailbox> bcc;
    std::optional<Mailbox> reply_to;
    std::string subject;
    std::optional<std::string> text_body; // UTF-8
    std::optional<std::string> html_body; // UTF-8
    // The Message-ID this message answers, with or without its angle brackets. Sets
    // In-Reply-To and References (the parent's own References are not known here).
    std::optional<std::string> in_reply_to;
};

// What the builder needs from outside: the time and randomness (injected so tests can pin
// them).
struct MessageContext {
    std::int64_t now_unix_ms = 0;
    // A fresh random token of letters and digits on each call; the builder makes the
    // Message-ID's left part and the multipart boundary from it.
    std::function<std::string()> random_token;
    // The right part of the Message-ID. The account's own domain is not known to the plugin,
    // and ".invalid" (RFC 2606) can belong to nobody, so the id stays unique.
    std::string message_id_domain = "switchboard.invalid";
};

struct BuildResult {
    std::string message;       // the whole message, when error.empty()
    std::string error;         // why the message cannot be built, for people
    std::string error_field;   // the JSON Pointer of the params field at fault ("/to/0/email")
    std::string message_id;    // the Message-ID written, with angle brackets

    bool ok() const noexcept { return error.empty(); }
};

// The message for `in`, or the first reason it cannot be written. Precondition: at least
// one of the bodies is set and ctx.random_token is callable.
BuildResult build_message(const OutgoingMessage& in, const MessageContext& ctx);

// "=_sb_" + a random token, drawn again (up to 8 times) while "--" + it occurs in one of
// `encoded_parts`; nullopt if every draw did. The "=_" alone keeps it out of quoted-printable
// and base64 text (RFC 2045 §6.7, §6.8), so the check is a guard, not the mechanism.
std::optional<std::string> choose_boundary(const std::vector<std::string_view>& encoded_parts,
                                           const std::function<std::string()>& random_token);

// A random token of 32 lower-case hex digits from std::random_device, for MessageContext.
std::string random_hex_token();

} // namespace switchboard::plugins::gmail::mime
