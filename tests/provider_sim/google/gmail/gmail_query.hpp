// The subset of Gmail's search syntax (the `q` of messages.list) the simulator understands:
// from:, to: (any recipient), cc:, bcc:, subject:, label:, in:, is:read|unread,
// has:attachment, filename:, rfc822msgid:, after:/before: (YYYY/MM/DD), "quoted phrases",
// (groups), a leading '-' to negate, and plain words (matched in the subject and text).
// Terms are ANDed. Like Gmail, an operator it does not know is searched as plain text.
#pragma once

#include "tests/provider_sim/common/clock.hpp"
#include "tests/provider_sim/mime/email_message.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace switchboard::sim {

struct GmailSearchable {
    const EmailMessage& message;
    const std::vector<std::string>& labels;
    TimePoint internal_date;
};

class GmailQuery {
public:
    explicit GmailQuery(std::string_view q);
    bool matches(const GmailSearchable& m) const;

private:
    struct Term {
        bool negated = false;
        std::string op; // empty: plain text
        std::string value;
    };
    bool term_matches(const Term& t, const GmailSearchable& m) const;
    std::vector<Term> terms_;
};

} // namespace switchboard::sim
