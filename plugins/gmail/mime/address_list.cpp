#include "plugins/gmail/mime/address_list.hpp"

#include "plugins/gmail/mime/ascii_text.hpp"
#include "plugins/gmail/mime/encoded_word.hpp"

#include <optional>

namespace switchboard::plugins::gmail::mime {
namespace {

struct Item {
    enum class Kind { atom, quoted, comment, special } kind;
    std::string text; // the atom, the quoted-string's content, the comment's content, the special
};

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }
bool is_special(char c) { return c == '<' || c == '>' || c == ',' || c == ':' || c == ';' || c == '@'; }

std::vector<Item> lex(std::string_view v) {
    std::vector<Item> items;
    std::size_t i = 0;
    while (i < v.size()) {
        const char c = v[i];
        if (is_space(c)) {
            ++i;
        } else if (c == '"') {
            std::string text;
            for (++i; i < v.size() && v[i] != '"'; ++i) {
                if (v[i] == '\\' && i + 1 < v.size()) ++i;
                if (v[i] == '\r' || v[i] == '\n') continue; // folding inside the quotes
                text.push_back(v[i]);
            }
            ++i; // the closing quote (or the end)
            items.push_back({Item::Kind::quoted, std::move(text)});
        } else if (c == '(') {
            std::string text;
            int depth = 1;
            for (++i; i < v.size() && depth > 0; ++i) {
                if (v[i] == '\\' && i + 1 < v.size()) {
                    text.push_back(v[++i]);
                    continue;
                }
                if (v[i] == '(') ++depth;
                if (v[i] == ')' && --depth == 0) break;
                text.push_back(v[i]);
            }
            ++i;
            items.push_back({Item::Kind::comment, std::move(text)});
        } else if (is_special(c)) {
            items.push_back({Item::Kind::special, std::string(1, c)});
            ++i;
        } else {
            std::string text;
            while (i < v.size() && !is_space(v[i]) && !is_special(v[i]) && v[i] != '"' &&
                   v[i] != '(') {
                if (v[i] == '[') { // a domain literal may hold anything up to ']'
                    while (i < v.size() && v[i] != ']') text.push_back(v[i++]);
                    if (i < v.size()) text.push_back(v[i++]);
                    continue;
                }
                text.push_back(v[i++]);
            }
            items.push_back({Item::Kind::atom, std::move(text)});
        }
    }
    return items;
}

std::string trim(std::string text) {
    const auto first = text.find_first_not_of(" \t");
    if (first == std::string::npos) return {};
    const auto last = text.find_last_not_of(" \t");
    return text.substr(first, last - first + 1);
}

struct Pending {
    std::vector<std::string> phrase; // words before '<' (or all words of a bare address)
    std::string bare;                // the words and '@'s outside angle brackets, unspaced
    std::optional<std::string> angle;
    std::string last_comment;

    bool empty() const { return phrase.empty() && bare.empty() && !angle; }
};

void finish(Pending& p, std::vector<ParsedAddress>& out) {
    ParsedAddress a;
    if (p.angle) {
        std::string email = *p.angle;
        if (const auto colon = email.rfind(':'); colon != std::string::npos) {
            email = email.substr(colon + 1); // obs-route: "@relay1,@relay2:" before the address
        }
        a.email = trim(email);
        std::string phrase;
        for (const auto& w : p.phrase) {
            if (!phrase.empty()) phrase.push_back(' ');
            phrase += w;
        }
        a.name = trim(decode_header_text(phrase));
    } else {
        a.email = p.bare;
        a.name = trim(decode_header_text(p.last_comment));
    }
    // Angle brackets left in an address mean the value was not an address list at all.
    if (!a.email.empty() && a.email.find_first_of("<>") == std::string::npos) out.push_back(std::move(a));
    p = Pending{};
}

} // namespace

std::vector<ParsedAddress> parse_address_list(std::string_view value) {
    std::vector<ParsedAddress> out;
    Pending p;
    bool in_angle = false;
    for (const Item& item : lex(value)) {
        if (in_angle) {
            if (item.kind == Item::Kind::special && item.text == ">") {
                in_angle = false;
            } else if (item.kind == Item::Kind::quoted) {
                *p.angle += quoted_string(item.text);
            } else if (item.kind != Item::Kind::comment) {
                *p.angle += item.text;
            }
            continue;
        }
        switch (item.kind) {
        case Item::Kind::special:
            if (item.text == "," || item.text == ";") {
                finish(p, out);
            } else if (item.text == ":") {
                p = Pending{}; // a group's display name: the members follow
            } else if (item.text == "<") {
                in_angle = true;
                p.angle = std::string();
            } else if (item.text == "@") {
                p.bare += "@";
            } // a stray '>' is ignored
            break;
        case Item::Kind::atom:
            p.phrase.push_back(item.text);
            p.bare += item.text;
            break;
        case Item::Kind::quoted:
            p.phrase.push_back(item.text);
            p.bare += quoted_string(item.text);
            break;
        case Item::Kind::comment:
            p.last_comment = item.text;
            break;
        }
    }
    if (!p.empty()) finish(p, out);
    return out;
}

} // namespace switchboard::plugins::gmail::mime
