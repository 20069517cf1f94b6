#include "tests/provider_sim/mime/address_list.hpp"

#include "tests/provider_sim/common/text.hpp"
#include "tests/provider_sim/mime/encoded_words.hpp"

#include <cctype>

namespace switchboard::sim {
namespace {

bool plausible_address(const std::string& a) {
    const auto at = a.find('@');
    if (at == std::string::npos || at == 0 || at + 1 >= a.size() || a.find('@', at + 1) != std::string::npos) {
        return false;
    }
    for (const char c : a) {
        if (std::isspace(static_cast<unsigned char>(c)) || c == '<' || c == '>' || c == ',' || c == '"') {
            return false;
        }
    }
    const std::string domain = a.substr(at + 1);
    return domain.front() != '.' && domain.back() != '.';
}

// One element, comments removed: "Jane <jane@example.com>" or "jane@example.com".
Result<EmailAddress> parse_mailbox(const std::string& element) {
    EmailAddress out;
    std::string name;
    std::string angle;
    bool in_angle = false;
    bool quoted = false;
    for (std::size_t i = 0; i < element.size(); ++i) {
        const char c = element[i];
        if (quoted) {
            if (c == '\\' && i + 1 < element.size()) {
                name.push_back(element[++i]);
            } else if (c == '"') {
                quoted = false;
            } else {
                name.push_back(c);
            }
        } else if (in_angle) {
            if (c == '>') {
                in_angle = false;
            } else {
                angle.push_back(c);
            }
        } else if (c == '"') {
            quoted = true;
        } else if (c == '<') {
            in_angle = true;
        } else {
            name.push_back(c);
        }
    }
    if (!angle.empty() || element.find('<') != std::string::npos) {
        out.address = std::string(trim(angle));
        out.name = decode_encoded_words(trim(name));
    } else {
        out.address = std::string(trim(name));
    }
    if (!plausible_address(out.address)) {
        return Error(ErrorKind::invalid_input, "invalid_address",
                     "'" + element + "' is not an e-mail address");
    }
    return out;
}

} // namespace

Result<std::vector<EmailAddress>> parse_address_list(std::string_view value) {
    std::vector<EmailAddress> out;
    std::string current;
    bool quoted = false;
    bool in_angle = false;
    int comment = 0;
    const auto flush = [&]() -> Result<void> {
        const std::string element(trim(current));
        current.clear();
        if (element.empty()) {
            return {};
        }
        auto mailbox = parse_mailbox(element);
        if (!mailbox) {
            return mailbox.error();
        }
        out.push_back(std::move(*mailbox));
        return {};
    };
    for (std::size_t i = 0; i < value.size(); ++i) {
        const char c = value[i];
        if (comment > 0) {
            comment += c == '(' ? 1 : c == ')' ? -1 : 0;
            continue;
        }
        if (quoted) {
            current.push_back(c);
            if (c == '\\' && i + 1 < value.size()) {
                current.push_back(value[++i]);
            } else if (c == '"') {
                quoted = false;
            }
            continue;
        }
        if (c == '"') {
            quoted = true;
        } else if (c == '(' && !in_angle) {
            comment = 1;
            continue;
        } else if (c == '<') {
            in_angle = true;
        } else if (c == '>') {
            in_angle = false;
        } else if (!in_angle && c == ':' && current.find('@') == std::string::npos) {
            current.clear(); // a group's display name
            continue;
        } else if (!in_angle && (c == ',' || c == ';')) {
            if (auto r = flush(); !r) {
                return r.error();
            }
            continue;
        }
        current.push_back(c);
    }
    if (auto r = flush(); !r) {
        return r.error();
    }
    return out;
}

} // namespace switchboard::sim
