#include "tests/provider_sim/mime/transfer_encoding.hpp"

#include "tests/provider_sim/common/base64.hpp"
#include "tests/provider_sim/common/text.hpp"

#include <algorithm>
#include <cctype>

namespace switchboard::sim {
namespace {

} // namespace

std::string decode_quoted_printable(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (c != '=') {
            out.push_back(c);
            continue;
        }
        // Soft line break: "=" then optional trailing blanks, then CRLF or LF.
        std::size_t j = i + 1;
        while (j < text.size() && (text[j] == ' ' || text[j] == '\t')) {
            ++j;
        }
        if (j < text.size() && (text[j] == '\r' || text[j] == '\n')) {
            if (text[j] == '\r' && j + 1 < text.size() && text[j + 1] == '\n') {
                ++j;
            }
            i = j;
            continue;
        }
        if (j == text.size()) {
            i = j;
            continue;
        }
        if (i + 2 < text.size()) {
            const int hi = hex_value(text[i + 1]);
            const int lo = hex_value(text[i + 2]);
            if (hi >= 0 && lo >= 0) {
                out.push_back(static_cast<char>(hi * 16 + lo));
                i += 2;
                continue;
            }
        }
        out.push_back(c);
    }
    return out;
}

std::optional<std::string> decode_transfer_encoding(std::string_view body, std::string_view encoding) {
    std::string e(encoding);
    std::transform(e.begin(), e.end(), e.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (e.empty() || e == "7bit" || e == "8bit" || e == "binary") {
        return std::string(body);
    }
    if (e == "quoted-printable") {
        return decode_quoted_printable(body);
    }
    if (e == "base64") {
        return base64_decode(body);
    }
    return std::nullopt;
}

} // namespace switchboard::sim
