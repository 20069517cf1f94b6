#include "plugins/gmail/mime/mailbox.hpp"

#include "plugins/gmail/mime/ascii_text.hpp"
#include "plugins/gmail/mime/encoded_word.hpp"
#include "plugins/gmail/mime/header_folding.hpp"

#include <string_view>

namespace switchboard::plugins::gmail::mime {
namespace {

bool is_dot_atom(std::string_view text) {
    if (text.empty() || text.front() == '.' || text.back() == '.') return false;
    char previous = 0;
    for (const char c : text) {
        if (c == '.') {
            if (previous == '.') return false;
        } else if (!is_atext(c)) {
            return false;
        }
        previous = c;
    }
    return true;
}

bool is_printable_ascii(std::string_view text) {
    for (const char c : text) {
        const auto u = static_cast<unsigned char>(c);
        if (u < 0x20 || u > 0x7E) return false;
    }
    return true;
}

// A quoted-string's content (between the quotes) with its quoted-pairs well formed.
bool is_quoted_content(std::string_view text) {
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '\\') {
            if (++i == text.size()) return false;
        } else if (text[i] == '"') {
            return false;
        }
    }
    return true;
}

bool is_domain_literal(std::string_view text) {
    if (text.size() < 3 || text.front() != '[' || text.back() != ']') return false;
    for (const char c : text.substr(1, text.size() - 2)) {
        const auto u = static_cast<unsigned char>(c);
        const bool dtext = (u >= 33 && u <= 90) || (u >= 94 && u <= 126); // not [ \ ]
        if (!dtext) return false;
    }
    return true;
}

std::vector<std::string> split_on_spaces(std::string_view text) {
    std::vector<std::string> out;
    std::size_t begin = 0;
    while (true) {
        const std::size_t space = text.find(' ', begin);
        out.emplace_back(text.substr(begin, space == std::string_view::npos ? space : space - begin));
        if (space == std::string_view::npos) break;
        begin = space + 1;
    }
    return out;
}

bool fits_lines(const std::vector<std::string>& words) {
    // Each word may have to start a continuation line (" " + word).
    for (const auto& w : words) {
        if (w.size() + 1 > recommended_line_length - 10) return false; // room for "Reply-To: "
    }
    return true;
}

// The display name's tokens.
std::vector<std::string> name_tokens(std::string_view name) {
    if (is_printable_ascii(name) && name.find("=?") == std::string_view::npos) {
        std::vector<std::string> words = split_on_spaces(name);
        bool atoms = true;
        for (const auto& w : words) {
            if (!is_dot_atom(w) || w.find('.') != std::string::npos) atoms = false;
        }
        if (!atoms) words = split_on_spaces(quoted_string(name));
        if (fits_lines(words)) return words;
    }
    return encode_words(name);
}

} // namespace

bool is_atext(char c) noexcept {
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) return true;
    return std::string_view("!#$%&'*+-/=?^_`{|}~").find(c) != std::string_view::npos;
}

std::optional<std::string> addr_spec(std::string_view email, std::string& why) {
    if (email.empty()) {
        why = "the address is empty";
        return std::nullopt;
    }
    for (const char c : email) {
        const auto u = static_cast<unsigned char>(c);
        if (u == '\r' || u == '\n') {
            why = "the address contains a line break";
            return std::nullopt;
        }
        if (u >= 0x80) {
            why = "the address is not ASCII (internationalised addresses are not supported)";
            return std::nullopt;
        }
        if (u < 0x20 || u == 0x7F) {
            why = "the address contains a control character";
            return std::nullopt;
        }
    }
    const std::size_t at = email.rfind('@');
    if (at == std::string_view::npos || at == 0 || at + 1 == email.size()) {
        why = "the address is not of the form local@domain";
        return std::nullopt;
    }
    const std::string_view local = email.substr(0, at);
    const std::string_view domain = email.substr(at + 1);
    if (!is_dot_atom(domain) && !is_domain_literal(domain)) {
        why = "the address's domain is not valid";
        return std::nullopt;
    }
    std::string out;
    if (is_dot_atom(local)) {
        out = local;
    } else if (local.size() >= 2 && local.front() == '"' && local.back() == '"' &&
               is_quoted_content(local.substr(1, local.size() - 2))) {
        out = local;
    } else {
        out = quoted_string(local);
    }
    out.push_back('@');
    out += domain;
    return out;
}

bool append_mailbox_tokens(const Mailbox& mailbox, std::vector<std::string>& tokens,
                           std::string& why) {
    const auto spec = addr_spec(mailbox.email, why);
    if (!spec) return false;
    if (mailbox.name.find_first_of("\r\n") != std::string::npos) {
        why = "the display name contains a line break";
        return false;
    }
    if (mailbox.name.empty()) {
        tokens.push_back(*spec);
        return true;
    }
    for (auto& t : name_tokens(mailbox.name)) tokens.push_back(std::move(t));
    tokens.push_back("<" + *spec + ">");
    return true;
}

} // namespace switchboard::plugins::gmail::mime
