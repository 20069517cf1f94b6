// One reason a request does not match its provider's published description.
#pragma once

#include <string>

namespace switchboard::sim {

struct ValidationIssue {
    std::string location; // "path", "query", "body", "header" or "route"
    std::string field;    // "start.dateTime", "timeMin", ... ("" for the whole body)
    std::string message;  // what is wrong, in words
    std::string reason;   // Google's errors[].reason: "required", "invalid", ...

    // "body start.dateTime: String should be a valid date-time"
    std::string to_string() const {
        std::string out = location;
        if (!field.empty()) {
            out += " " + field;
        }
        return out + ": " + message;
    }
};

} // namespace switchboard::sim
