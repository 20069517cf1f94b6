// UTF-8 helpers the MIME code needs: walking code points (an encoded-word must hold whole
// characters, RFC 2047 §5) and making text safe for JSON (ill-formed bytes become U+FFFD).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace switchboard::plugins::gmail::mime {

// Length of the well-formed UTF-8 sequence (RFC 3629) starting at text[i], or 0 when the
// bytes there are not one (overlong forms, surrogates, values above U+10FFFF, truncation).
std::size_t utf8_sequence_length(std::string_view text, std::size_t i) noexcept;

// True when every byte of `text` belongs to a well-formed UTF-8 sequence.
bool is_valid_utf8(std::string_view text) noexcept;

// `text` with every ill-formed byte replaced by U+FFFD.
std::string sanitize_utf8(std::string_view text);

// Appends code point `cp` (at most U+10FFFF, not a surrogate) to `out` as UTF-8.
void append_utf8(std::string& out, char32_t cp);

// True when every byte of `text` is ASCII (< 0x80).
bool is_ascii(std::string_view text) noexcept;

} // namespace switchboard::plugins::gmail::mime
