#include "plugins/gmail/html_entities.hpp"

#include "plugins/gmail/mime/utf8.hpp"

namespace switchboard::plugins::gmail {

std::string decode_html_entities(std::string_view text) {
    struct Named {
        std::string_view name;
        std::string_view utf8;
    };
    static constexpr Named named[] = {{"amp", "&"},   {"lt", "<"},    {"gt", ">"},
                                      {"quot", "\""}, {"apos", "'"}, {"nbsp", "\xC2\xA0"}};
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] != '&') {
            out.push_back(text[i]);
            continue;
        }
        const std::size_t semicolon = text.find(';', i + 1);
        if (semicolon == std::string_view::npos || semicolon - i > 10) {
            out.push_back('&');
            continue;
        }
        const std::string_view ref = text.substr(i + 1, semicolon - i - 1);
        bool replaced = false;
        if (ref.size() >= 2 && ref[0] == '#') {
            const bool hex = ref[1] == 'x' || ref[1] == 'X';
            const std::string_view digits = ref.substr(hex ? 2 : 1);
            char32_t cp = 0;
            bool valid = !digits.empty();
            for (const char c : digits) {
                int d = -1;
                if (c >= '0' && c <= '9') d = c - '0';
                else if (hex && c >= 'a' && c <= 'f') d = c - 'a' + 10;
                else if (hex && c >= 'A' && c <= 'F') d = c - 'A' + 10;
                if (d < 0 || cp > 0x10FFFF) {
                    valid = false;
                    break;
                }
                cp = cp * (hex ? 16 : 10) + static_cast<char32_t>(d);
            }
            if (valid && cp != 0 && cp <= 0x10FFFF && !(cp >= 0xD800 && cp <= 0xDFFF)) {
                mime::append_utf8(out, cp);
                replaced = true;
            }
        } else {
            for (const auto& n : named) {
                if (ref == n.name) {
                    out += n.utf8;
                    replaced = true;
                    break;
                }
            }
        }
        if (replaced) {
            i = semicolon;
        } else {
            out.push_back('&');
        }
    }
    return out;
}

} // namespace switchboard::plugins::gmail
