// Writing one mailbox of an address header (RFC 5322 §3.4): `Name <local@domain>` with the
// display name as atoms, a quoted-string, or RFC 2047 encoded-words.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace switchboard::plugins::gmail::mime {

struct Mailbox {
    std::string email;
    std::string name; // "" for none
};

// RFC 5322 §3.2.3 atext: the characters an atom may hold.
bool is_atext(char c) noexcept;

// `email` as an RFC 5322 addr-spec, or nullopt with the reason in `why` when it cannot be
// one: it must be ASCII (this builder does not write SMTPUTF8 headers, RFC 6532), without
// controls or line breaks, `local@domain` with a dot-atom or quoted-string local part (a
// local part that is neither is quoted) and a dot-atom or [domain-literal] domain.
std::optional<std::string> addr_spec(std::string_view email, std::string& why);

// Appends the tokens of `mailbox` (see fold_header) to `tokens`: the display name's words
// then "<addr-spec>", or the addr-spec alone without a name. A printable-ASCII name is
// written as atoms when it is words of atext separated by single spaces, else as a
// quoted-string; a name with other characters (non-ASCII, controls), one holding "=?", or
// one whose words would not fit a 78-character line is written as encoded-words. Returns
// false with the reason in `why` when the mailbox cannot be written (a line break in the
// name, an invalid address).
bool append_mailbox_tokens(const Mailbox& mailbox, std::vector<std::string>& tokens,
                           std::string& why);

} // namespace switchboard::plugins::gmail::mime
