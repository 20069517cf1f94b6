#include "tests/provider_sim/google/gmail/gmail_query.hpp"

#include "tests/provider_sim/common/rfc3339.hpp"
#include "tests/provider_sim/common/text.hpp"

#include <algorithm>
#include <array>
#include <cctype>

namespace switchboard::sim {
namespace {

constexpr std::array<std::string_view, 13> kOperators = {
    "from", "to", "cc", "bcc", "subject", "label", "in", "is", "has", "filename", "rfc822msgid", "after",
    "before"};

bool contains(std::string_view haystack, std::string_view needle) {
    return lower(haystack).find(lower(needle)) != std::string::npos;
}

bool any_address(const std::vector<EmailAddress>& list, std::string_view needle) {
    return std::any_of(list.begin(), list.end(), [&](const EmailAddress& a) {
        return contains(a.address, needle) || contains(a.name, needle);
    });
}

// "2024/05/01" or "2024-05-01".
std::optional<TimePoint> gmail_date(std::string value) {
    std::replace(value.begin(), value.end(), '/', '-');
    return parse_date(value);
}

} // namespace

GmailQuery::GmailQuery(std::string_view q) {
    std::size_t i = 0;
    while (i < q.size()) {
        while (i < q.size() && std::isspace(static_cast<unsigned char>(q[i]))) {
            ++i;
        }
        if (i >= q.size()) {
            break;
        }
        Term term;
        if (q[i] == '-') {
            term.negated = true;
            ++i;
        }
        // An operator is a known word followed by ':'.
        const std::size_t colon = q.find(':', i);
        const std::size_t space = q.find_first_of(" \t", i);
        if (colon != std::string_view::npos && (space == std::string_view::npos || colon < space)) {
            const std::string op = lower(q.substr(i, colon - i));
            const bool known = std::find(kOperators.begin(), kOperators.end(), op) != kOperators.end();
            if (known) {
                term.op = op;
                i = colon + 1;
            }
        }
        std::string value;
        if (i < q.size() && (q[i] == '"' || q[i] == '(')) {
            const char close = q[i] == '"' ? '"' : ')';
            const std::size_t end = q.find(close, i + 1);
            value = std::string(q.substr(i + 1, end == std::string_view::npos ? std::string_view::npos : end - i - 1));
            i = end == std::string_view::npos ? q.size() : end + 1;
        } else {
            const std::size_t end = q.find_first_of(" \t", i);
            value = std::string(q.substr(i, end == std::string_view::npos ? std::string_view::npos : end - i));
            i = end == std::string_view::npos ? q.size() : end;
        }
        term.value = value;
        if (!term.value.empty()) {
            terms_.push_back(std::move(term));
        }
    }
}

bool GmailQuery::matches(const GmailSearchable& m) const {
    return std::all_of(terms_.begin(), terms_.end(),
                       [&](const Term& t) { return term_matches(t, m) != t.negated; });
}

bool GmailQuery::term_matches(const Term& t, const GmailSearchable& m) const {
    const EmailMessage& e = m.message;
    const std::string v = lower(t.value);
    const auto has_label = [&](std::string_view label) {
        return std::any_of(m.labels.begin(), m.labels.end(),
                           [&](const std::string& l) { return lower(l) == lower(label); });
    };
    if (t.op == "from") {
        return any_address(e.from, v);
    }
    if (t.op == "to") {
        return any_address(e.to, v) || any_address(e.cc, v) || any_address(e.bcc, v);
    }
    if (t.op == "cc") {
        return any_address(e.cc, v);
    }
    if (t.op == "bcc") {
        return any_address(e.bcc, v);
    }
    if (t.op == "subject") {
        return contains(e.subject, v);
    }
    if (t.op == "label" || t.op == "in") {
        return v == "anywhere" || has_label(v);
    }
    if (t.op == "is") {
        if (v == "unread") {
            return has_label("UNREAD");
        }
        if (v == "read") {
            return !has_label("UNREAD");
        }
        return has_label(v);
    }
    if (t.op == "has") {
        return v == "attachment" && !e.attachments.empty();
    }
    if (t.op == "filename") {
        return std::any_of(e.attachments.begin(), e.attachments.end(),
                           [&](const EmailAttachment& a) { return contains(a.filename, v); });
    }
    if (t.op == "rfc822msgid") {
        return contains(e.message_id, v);
    }
    if (t.op == "after" || t.op == "before") {
        const auto date = gmail_date(t.value);
        if (!date) {
            return false;
        }
        return t.op == "after" ? m.internal_date >= *date : m.internal_date < *date;
    }
    return contains(e.subject, v) || contains(e.text, v) || contains(e.html, v) || any_address(e.from, v) ||
           any_address(e.to, v);
}

} // namespace switchboard::sim
