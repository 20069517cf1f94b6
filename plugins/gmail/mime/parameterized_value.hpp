// Reading a MIME header with parameters (RFC 2045 §5.1): Content-Type
// "text/plain; charset=\"iso-8859-1\"" or Content-Disposition "attachment; filename=a.txt".
#pragma once

#include <map>
#include <string>
#include <string_view>

namespace switchboard::plugins::gmail::mime {

struct ParameterizedValue {
    std::string value;                        // "text/plain", "attachment": lower case
    std::map<std::string, std::string> params; // names lower case, values unquoted as written
};

// Lenient: comments are not expected, a parameter without "=" is skipped, and a quoted value
// keeps what its quoted-pairs escape. RFC 2231 continuations are not joined (the plugin only
// reads charset and the disposition type).
ParameterizedValue parse_parameterized_value(std::string_view header_value);

} // namespace switchboard::plugins::gmail::mime
