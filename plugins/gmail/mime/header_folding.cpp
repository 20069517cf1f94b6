#include "plugins/gmail/mime/header_folding.hpp"

#include <algorithm>

namespace switchboard::plugins::gmail::mime {

FoldedHeader fold_header(std::string_view name, const std::vector<std::string>& tokens) {
    FoldedHeader out;
    std::string line(name);
    line.push_back(':');
    bool first = true;
    for (const std::string& token : tokens) {
        const bool fits = line.size() + 1 + token.size() <= recommended_line_length;
        if (first || fits || token.empty()) {
            line.push_back(' ');
            line += token;
        } else {
            out.longest_line = std::max(out.longest_line, line.size());
            out.text += line;
            out.text += "\r\n";
            line = " " + token;
        }
        first = false;
    }
    out.longest_line = std::max(out.longest_line, line.size());
    out.text += line;
    out.text += "\r\n";
    return out;
}

} // namespace switchboard::plugins::gmail::mime
