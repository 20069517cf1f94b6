// Content-Transfer-Encoding (RFC 2045 §6) and the "Q" encoding of RFC 2047 §4.2.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace switchboard::sim {

// Quoted-printable: "=XX" escapes and "=" soft line breaks. Lenient like mail readers: an
// "=" not followed by two hex digits is kept as is.
std::string decode_quoted_printable(std::string_view text);

// The body under `encoding` ("7bit", "8bit", "binary", "quoted-printable", "base64", any
// case). nullopt for an unknown encoding or invalid base64.
std::optional<std::string> decode_transfer_encoding(std::string_view body, std::string_view encoding);

} // namespace switchboard::sim
