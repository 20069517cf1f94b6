// Content-Transfer-Encoding of a text body (RFC 2045 §6): the message must be 7-bit clean
// with lines of at most 998 octets (RFC 5322 §2.1.1) whatever the text holds, so every body
// is quoted-printable (readable, for mostly-ASCII text) or base64 (compact, for text that is
// mostly non-ASCII), with CRLF line endings.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace switchboard::plugins::gmail::mime {

// Quoted-printable lines are at most 76 characters (RFC 2045 §6.7 rule 5), soft break included.
inline constexpr std::size_t max_encoded_line_length = 76;

// `text` with every line break (CRLF, lone LF, lone CR) written as CRLF: in a text/* body a
// line break is CRLF (RFC 2046 §4.1.1).
std::string normalize_line_breaks(std::string_view text);

// Quoted-printable of `crlf_text` (line breaks already CRLF): printable ASCII but "=" as is,
// every other octet as =XX, a space or tab at the end of a line as =20 / =09, and soft line
// breaks ("=" CRLF) so that no line exceeds max_encoded_line_length.
std::string encode_quoted_printable(std::string_view crlf_text);

// The number of octets quoted-printable would write as =XX (line breaks aside).
std::size_t quoted_printable_escapes(std::string_view crlf_text);

// Standard base64 in lines of 76 characters separated by CRLF (RFC 2045 §6.8).
std::string encode_base64_lines(std::string_view bytes);

struct EncodedBody {
    std::string transfer_encoding; // "quoted-printable" or "base64"
    std::string text;              // the encoded body, CRLF line endings, no final CRLF added
};

// The body for text `text` (UTF-8): its line breaks made CRLF, then quoted-printable, unless
// more than one octet in six would need escaping, where base64 is the shorter (QP costs two
// extra characters per escaped octet, base64 one per three octets).
EncodedBody encode_text_body(std::string_view text);

} // namespace switchboard::plugins::gmail::mime
