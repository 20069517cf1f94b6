#include "plugins/gmail/mime/message_builder.hpp"

#include "plugins/gmail/mime/encoded_word.hpp"
#include "plugins/gmail/mime/header_folding.hpp"
#include "plugins/gmail/mime/mail_date.hpp"
#include "plugins/gmail/mime/transfer_encoding.hpp"

#include <random>
#include <string_view>

namespace switchboard::plugins::gmail::mime {
namespace {

// How often a fresh boundary is drawn when one turns up inside a body (see choose_boundary).
constexpr int boundary_attempts = 8;

bool has_line_break(std::string_view text) { return text.find_first_of("\r\n") != std::string_view::npos; }

// Printable ASCII without the space.
bool is_visible_ascii(std::string_view text) {
    for (const char c : text) {
        const auto u = static_cast<unsigned char>(c);
        if (u < 0x21 || u > 0x7E) return false;
    }
    return true;
}

// The Subject's tokens: the words as they are when it is printable ASCII without "=?" and
// fits 78-character lines, else encoded-words.
std::vector<std::string> subject_tokens(std::string_view subject) {
    bool plain = subject.find("=?") == std::string_view::npos;
    for (const char c : subject) {
        const auto u = static_cast<unsigned char>(c);
        if ((u < 0x20 && u != '\t') || u > 0x7E) plain = false;
    }
    if (plain) {
        std::vector<std::string> words;
        std::size_t begin = 0;
        while (true) {
            const std::size_t space = subject.find(' ', begin);
            words.emplace_back(subject.substr(begin, space == std::string_view::npos ? space : space - begin));
            if (space == std::string_view::npos) break;
            begin = space + 1;
        }
        if (fold_header("Subject", words).longest_line <= recommended_line_length) return words;
    }
    return encode_words(subject);
}

struct Builder {
    const OutgoingMessage& in;
    BuildResult out;
    std::string headers;

    bool fail(std::string field, std::string why) {
        out.error = std::move(why);
        out.error_field = std::move(field);
        return false;
    }

    void field(std::string_view name, const std::vector<std::string>& tokens) {
        headers += fold_header(name, tokens).text;
    }

    bool address_field(std::string_view name, std::string_view pointer,
                       const std::vector<Mailbox>& list) {
        if (list.empty()) return true;
        std::vector<std::string> tokens;
        for (std::size_t i = 0; i < list.size(); ++i) {
            std::string why;
            if (!append_mailbox_tokens(list[i], tokens, why)) {
                const bool name_at_fault = why.find("display name") != std::string::npos;
                return fail(std::string(pointer) + "/" + std::to_string(i) +
                                (name_at_fault ? "/name" : "/email"),
                            why);
            }
            if (i + 1 < list.size()) tokens.back().push_back(',');
        }
        field(name, tokens);
        return true;
    }

    // "<id>" from the caller's Message-ID, with or without its brackets.
    bool message_id_reference(std::string_view value, std::string& id) {
        while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
        while (!value.empty() && (value.back() == ' ' || value.back() == '\t')) value.remove_suffix(1);
        if (has_line_break(value)) return fail("/in_reply_to", "the Message-ID contains a line break");
        if (value.size() >= 2 && value.front() == '<' && value.back() == '>') {
            value = value.substr(1, value.size() - 2);
        }
        const std::size_t at = value.find('@');
        if (value.empty() || !is_visible_ascii(value) ||
            value.find_first_of("<>") != std::string_view::npos || at == std::string_view::npos ||
            at == 0 || at + 1 == value.size() || value.size() > 900) {
            return fail("/in_reply_to", "the Message-ID is not of the form <id@domain>");
        }
        id = "<" + std::string(value) + ">";
        return true;
    }
};

std::string content_type_for(bool html) { return html ? "text/html; charset=UTF-8" : "text/plain; charset=UTF-8"; }

} // namespace

std::optional<std::string> choose_boundary(const std::vector<std::string_view>& encoded_parts,
                                           const std::function<std::string()>& random_token) {
    for (int attempt = 0; attempt < boundary_attempts; ++attempt) {
        std::string boundary = "=_sb_" + random_token();
        const std::string delimiter = "--" + boundary;
        bool absent = true;
        for (const auto part : encoded_parts) absent = absent && part.find(delimiter) == std::string_view::npos;
        if (absent) return boundary;
    }
    return std::nullopt;
}

std::string random_hex_token() {
    static constexpr char hex[] = "0123456789abcdef";
    std::random_device device;
    std::string out;
    out.reserve(32);
    for (int i = 0; i < 4; ++i) {
        std::uint32_t word = device();
        for (int k = 0; k < 8; ++k) {
            out.push_back(hex[word & 0xF]);
            word >>= 4;
        }
    }
    return out;
}

BuildResult build_message(const OutgoingMessage& in, const MessageContext& ctx) {
    Builder b{in, {}, {}};
    if (has_line_break(in.subject)) {
        b.fail("/subject", "the subject contains a line break");
        return b.out;
    }

    b.field("Date", {rfc5322_date(ctx.now_unix_ms)});
    b.out.message_id = "<" + ctx.random_token() + "@" + ctx.message_id_domain + ">";
    b.field("Message-ID", {b.out.message_id});
    b.field("Subject", in.subject.empty() ? std::vector<std::string>{} : subject_tokens(in.subject));
    if (!b.address_field("To", "/to", in.to) || !b.address_field("Cc", "/cc", in.cc) ||
        !b.address_field("Bcc", "/bcc", in.bcc)) {
        return b.out;
    }
    if (in.reply_to) {
        std::vector<std::string> tokens;
        std::string why;
        if (!append_mailbox_tokens(*in.reply_to, tokens, why)) {
            b.fail(why.find("display name") != std::string::npos ? "/reply_to/name" : "/reply_to/email", why);
            return b.out;
        }
        b.field("Reply-To", tokens);
    }
    if (in.in_reply_to) {
        std::string id;
        if (!b.message_id_reference(*in.in_reply_to, id)) return b.out;
        b.field("In-Reply-To", {id});
        b.field("References", {id});
    }
    b.field("MIME-Version", {"1.0"});

    if (in.text_body && in.html_body) {
        const EncodedBody text = encode_text_body(*in.text_body);
        const EncodedBody html = encode_text_body(*in.html_body);
        const auto chosen = choose_boundary({text.text, html.text}, ctx.random_token);
        if (!chosen) {
            b.fail("", "no multipart boundary absent from the bodies could be found");
            return b.out;
        }
        const std::string& boundary = *chosen;
        b.field("Content-Type", {"multipart/alternative;", "boundary=\"" + boundary + "\""});
        std::string body = "This is a multi-part message in MIME format.\r\n";
        for (const auto* part : {&text, &html}) {
            body += "\r\n--" + boundary + "\r\n";
            body += "Content-Type: " + content_type_for(part == &html) + "\r\n";
            body += "Content-Transfer-Encoding: " + part->transfer_encoding + "\r\n\r\n";
            body += part->text;
        }
        body += "\r\n--" + boundary + "--\r\n";
        b.out.message = b.headers + "\r\n" + body;
        return b.out;
    }

    const bool html = !in.text_body.has_value();
    const EncodedBody part = encode_text_body(html ? *in.html_body : *in.text_body);
    b.field("Content-Type", {content_type_for(html)});
    b.field("Content-Transfer-Encoding", {part.transfer_encoding});
    // No CRLF is added after the body: it would become part of the text (RFC 5322 lets a
    // body end without one; the SMTP client adds it for transport, RFC 5321 §4.1.1.4).
    b.out.message = b.headers + "\r\n" + part.text;
    return b.out;
}

} // namespace switchboard::plugins::gmail::mime
