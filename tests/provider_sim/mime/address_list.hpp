// RFC 5322 address lists as in To, Cc, Bcc and From: "Jane <jane@example.com>",
// "\"Doe, John\" <john@example.com>", "=?UTF-8?Q?Ren=C3=A9?= <rene@example.com>",
// groups ("team: a@example.com, b@example.com;") and comments.
#pragma once

#include "core/common/error.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace switchboard::sim {

struct EmailAddress {
    std::string name;    // the display name, decoded to UTF-8; may be empty
    std::string address; // "local@domain"
};

// Fails on an element that is not a plausible address (no '@', empty local part, ...).
Result<std::vector<EmailAddress>> parse_address_list(std::string_view value);

} // namespace switchboard::sim
