// JSON Pointer (RFC 6901) helpers shared by the modules that name fields in errors.
#pragma once

#include <string>
#include <string_view>

namespace switchboard {

// One reference token of a JSON Pointer: "~" becomes "~0" and "/" becomes "~1".
inline std::string json_pointer_token(std::string_view token) {
    std::string out;
    out.reserve(token.size());
    for (char c : token) {
        if (c == '~') {
            out += "~0";
        } else if (c == '/') {
            out += "~1";
        } else {
            out += c;
        }
    }
    return out;
}

} // namespace switchboard
