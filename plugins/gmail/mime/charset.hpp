// Turning the bytes of a message part or an encoded-word, in the charset the message
// declares, into UTF-8.
//
//   UTF-8, US-ASCII (and no charset)  taken as UTF-8; ill-formed bytes become U+FFFD
//   ISO-8859-1, Windows-1252          converted by table; ISO-8859-1 is read as Windows-1252,
//                                     as the WHATWG Encoding Standard and every mail reader
//                                     do (mislabelled 0x80-0x9F bytes are common)
//   any other charset glibc knows     converted with iconv(3) (ISO-8859-x, Shift_JIS, GB18030,
//                                     KOI8-R, ISO-2022-JP, ...); bytes it cannot convert
//                                     become U+FFFD
//   a charset nobody knows            taken as UTF-8 like the first row, and reported as not
//                                     exact, so the caller can say so
#pragma once

#include <string>
#include <string_view>

namespace switchboard::plugins::gmail::mime {

struct DecodedText {
    std::string utf8;
    // False when something was lost: an unknown charset, or bytes the charset does not allow.
    bool exact = true;
};

// The charset label normalised for comparison: trimmed, unquoted, lower case.
std::string normalize_charset(std::string_view label);

// `bytes` in `charset` (a MIME charset label, any case, possibly quoted) as UTF-8.
DecodedText to_utf8(std::string_view bytes, std::string_view charset);

} // namespace switchboard::plugins::gmail::mime
