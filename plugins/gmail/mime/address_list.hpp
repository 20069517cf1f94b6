// Reading the address headers of a received message (From, To, Cc, Bcc, Reply-To) into
// addresses with decoded display names.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace switchboard::plugins::gmail::mime {

struct ParsedAddress {
    std::string email; // the addr-spec as written ("local@domain"; a quoted local part keeps its quotes)
    std::string name;  // the display name, decoded to UTF-8; "" when there is none
};

// The mailboxes of an RFC 5322 address-list (§3.4), read the lenient way mail readers do:
// display names as atoms, quoted-strings or encoded-words (also inside quotes), comments
// ignored except that `addr (Name)` (the obsolete form) gives the name, groups
// ("Team: a@x, b@y;") flattened into their members, obsolete routes ("<@relay:a@x>")
// dropped, empty members skipped. Never fails: what cannot be read is left out.
std::vector<ParsedAddress> parse_address_list(std::string_view value);

} // namespace switchboard::plugins::gmail::mime
