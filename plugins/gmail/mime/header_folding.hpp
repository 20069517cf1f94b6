// Writing one header field folded into lines (RFC 5322 §2.2.3): lines SHOULD be at most 78
// characters and MUST be at most 998; a field is folded by putting CRLF before whitespace.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace switchboard::plugins::gmail::mime {

inline constexpr std::size_t recommended_line_length = 78; // §2.1.1, without the CRLF
inline constexpr std::size_t max_line_length = 998;        // §2.1.1, without the CRLF

struct FoldedHeader {
    std::string text;             // "Name: t1 t2\r\n t3\r\n": the whole field, CRLF-terminated
    std::size_t longest_line = 0; // without CRLF
};

// The field `name` whose value is `tokens` joined by single spaces, folded greedily: a token
// goes on the current line when it fits within recommended_line_length, else CRLF starts a
// new line in place of the space before it. The first token always shares the name's line
// and an empty token never starts one (a folded line must not be whitespace only), so
// unfolding gives back exactly the tokens joined by spaces. No token may hold CR or LF.
FoldedHeader fold_header(std::string_view name, const std::vector<std::string>& tokens);

} // namespace switchboard::plugins::gmail::mime
