// RFC 2047 encoded-words: non-ASCII text in header fields ("=?UTF-8?Q?Ren=C3=A9?=").
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace switchboard::plugins::gmail::mime {

// RFC 2047 §2 caps an encoded-word at 75 characters. The builder uses 66 so that a word
// still fits a 78-character line after the longest header name it follows ("Reply-To: ").
inline constexpr std::size_t max_encoded_word_length = 66;

// `utf8` as a sequence of UTF-8 encoded-words, each at most `max_length` characters and each
// holding whole characters (§5). Whitespace between encoded-words is not part of the text
// (§6.2), so the words may be joined by any folding whitespace. The encoding is Q (§4.2, with
// only the characters §5(3) allows inside a phrase left as they are, so the words fit a
// display name as well as a Subject) or B (§4.1), whichever is shorter for the whole text.
// Precondition: max_length >= 24.
std::vector<std::string> encode_words(std::string_view utf8,
                                      std::size_t max_length = max_encoded_word_length);

// The decoded text of one encoded-word ("=?charset[*lang]?B|Q?text?="), converted to UTF-8,
// or false when `word` is not a well-formed encoded-word.
bool decode_word(std::string_view word, std::string& utf8_out);

// A header field value as people read it: unfolded (CRLF before whitespace removed) and every
// encoded-word decoded, dropping the whitespace between adjacent encoded-words. Text that is
// not an encoded-word is kept (ill-formed UTF-8 becomes U+FFFD). Lenient the way mail readers
// are: an encoded-word is recognised even inside a quoted string or glued to other text.
std::string decode_header_text(std::string_view value);

} // namespace switchboard::plugins::gmail::mime
