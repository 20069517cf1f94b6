// Percent-encoding of form bodies and query strings.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace switchboard::http {

using FormFields = std::vector<std::pair<std::string, std::string>>;

// application/x-www-form-urlencoded (RFC 6749 appendix B, WHATWG URL "urlencoded"):
// every byte but ALPHA / DIGIT / "-" / "." / "_" / "~" is percent-encoded, space as "+".
// Fields keep their order; e.g. {{"grant_type","authorization_code"},{"code","a b"}} gives
// "grant_type=authorization_code&code=a+b".
std::string encode_form(const FormFields& fields);

// A query string (without the leading "?"): the same, but space as "%20", which every
// server reads the same way.
std::string encode_query(const FormFields& fields);

// One component percent-encoded with the unreserved set (space as "%20"), e.g. for a path
// segment.
std::string percent_encode(std::string_view text);

} // namespace switchboard::http
