#include "plugins/gmail/mime/transfer_encoding.hpp"

#include "plugins/common/base64.hpp"
#include "plugins/gmail/mime/ascii_text.hpp"

namespace switchboard::plugins::gmail::mime {
namespace {

bool qp_literal(unsigned char c) { return (c >= 33 && c <= 126 && c != '=') || c == ' ' || c == '\t'; }

void encode_qp_line(std::string_view line, std::string& out) {
    std::size_t column = 0;
    for (std::size_t i = 0; i < line.size(); ++i) {
        const auto u = static_cast<unsigned char>(line[i]);
        const bool last = i + 1 == line.size();
        // Whitespace at the end of a line would be lost in transport (rule 3).
        const bool literal = qp_literal(u) && !(last && (u == ' ' || u == '\t'));
        const std::size_t width = literal ? 1 : 3;
        // Leave room for the soft break's "=" unless this is the line's last token.
        const std::size_t room = last ? max_encoded_line_length : max_encoded_line_length - 1;
        if (column + width > room) {
            out += "=\r\n";
            column = 0;
        }
        if (literal) {
            out.push_back(static_cast<char>(u));
        } else {
            out.push_back('=');
            out.push_back(hex_digits[u >> 4]);
            out.push_back(hex_digits[u & 0x0F]);
        }
        column += width;
    }
}

} // namespace

std::string normalize_line_breaks(std::string_view text) {
    std::string out;
    out.reserve(text.size() + text.size() / 32);
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (c == '\r') {
            out += "\r\n";
            if (i + 1 < text.size() && text[i + 1] == '\n') ++i;
        } else if (c == '\n') {
            out += "\r\n";
        } else {
            out.push_back(c);
        }
    }
    return out;
}

std::string encode_quoted_printable(std::string_view crlf_text) {
    std::string out;
    out.reserve(crlf_text.size() + crlf_text.size() / 8);
    std::size_t begin = 0;
    while (true) {
        const std::size_t end = crlf_text.find("\r\n", begin);
        encode_qp_line(crlf_text.substr(begin, end == std::string_view::npos ? end : end - begin), out);
        if (end == std::string_view::npos) break;
        out += "\r\n";
        begin = end + 2;
    }
    return out;
}

std::size_t quoted_printable_escapes(std::string_view crlf_text) {
    std::size_t n = 0;
    for (const char c : crlf_text) {
        const auto u = static_cast<unsigned char>(c);
        if (!qp_literal(u) && u != '\r' && u != '\n') ++n;
    }
    return n;
}

std::string encode_base64_lines(std::string_view bytes) {
    const std::string flat = base64::encode(bytes);
    std::string out;
    out.reserve(flat.size() + flat.size() / max_encoded_line_length * 2 + 2);
    for (std::size_t i = 0; i < flat.size(); i += max_encoded_line_length) {
        if (i != 0) out += "\r\n";
        out.append(flat, i, max_encoded_line_length);
    }
    return out;
}

EncodedBody encode_text_body(std::string_view text) {
    const std::string crlf = normalize_line_breaks(text);
    if (quoted_printable_escapes(crlf) * 6 > crlf.size()) {
        return {"base64", encode_base64_lines(crlf)};
    }
    return {"quoted-printable", encode_quoted_printable(crlf)};
}

} // namespace switchboard::plugins::gmail::mime
