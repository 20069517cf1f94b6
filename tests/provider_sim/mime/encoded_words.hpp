// RFC 2047 encoded-words in header values: "=?UTF-8?B?SMOpbGxv?=", "=?ISO-8859-1?Q?caf=E9?=".
#pragma once

#include <string>
#include <string_view>

namespace switchboard::sim {

// The header value with every encoded-word decoded to UTF-8. Whitespace between adjacent
// encoded-words is dropped (RFC 2047 §6.2); a malformed word is kept as written.
std::string decode_encoded_words(std::string_view value);

} // namespace switchboard::sim
