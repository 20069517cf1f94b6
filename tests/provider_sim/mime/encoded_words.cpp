#include "tests/provider_sim/mime/encoded_words.hpp"

#include "tests/provider_sim/common/base64.hpp"
#include "tests/provider_sim/common/text.hpp"
#include "tests/provider_sim/mime/charset.hpp"

#include <optional>

namespace switchboard::sim {
namespace {

std::optional<std::string> decode_q(std::string_view text) {
    std::string out;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '_') {
            out.push_back(' ');
        } else if (text[i] == '=') {
            if (i + 2 >= text.size() || hex_value(text[i + 1]) < 0 || hex_value(text[i + 2]) < 0) {
                return std::nullopt;
            }
            out.push_back(static_cast<char>(hex_value(text[i + 1]) * 16 + hex_value(text[i + 2])));
            i += 2;
        } else {
            out.push_back(text[i]);
        }
    }
    return out;
}

struct Word {
    std::string text;    // decoded UTF-8
    std::size_t end = 0; // index just past "?="
};

// Decodes the encoded-word starting at `pos` ("=?"), if it is one.
std::optional<Word> read_word(std::string_view value, std::size_t pos) {
    const std::size_t q1 = value.find('?', pos + 2);
    if (q1 == std::string_view::npos || q1 + 2 >= value.size() || value[q1 + 2] != '?') {
        return std::nullopt;
    }
    const char encoding = value[q1 + 1];
    const std::size_t close = value.find("?=", q1 + 3);
    if (close == std::string_view::npos) {
        return std::nullopt;
    }
    std::string_view charset = value.substr(pos + 2, q1 - pos - 2);
    charset = charset.substr(0, charset.find('*')); // RFC 2231 language suffix
    const std::string_view payload = value.substr(q1 + 3, close - q1 - 3);
    if (payload.find(' ') != std::string_view::npos) {
        return std::nullopt;
    }
    std::optional<std::string> bytes;
    if (encoding == 'B' || encoding == 'b') {
        bytes = base64_decode(payload);
    } else if (encoding == 'Q' || encoding == 'q') {
        bytes = decode_q(payload);
    }
    if (!bytes) {
        return std::nullopt;
    }
    auto text = to_utf8(*bytes, charset);
    if (!text) {
        return std::nullopt;
    }
    return Word{std::move(*text), close + 2};
}

} // namespace

std::string decode_encoded_words(std::string_view value) {
    std::string out;
    std::size_t i = 0;
    while (i < value.size()) {
        if (value.compare(i, 2, "=?") == 0) {
            if (const auto word = read_word(value, i)) {
                out += word->text;
                i = word->end;
                // Whitespace up to another encoded-word is dropped; before anything else it stays.
                std::size_t j = i;
                while (j < value.size() && (value[j] == ' ' || value[j] == '\t' || value[j] == '\r' ||
                                            value[j] == '\n')) {
                    ++j;
                }
                if (j > i && j < value.size() && value.compare(j, 2, "=?") == 0 && read_word(value, j)) {
                    i = j;
                }
                continue;
            }
        }
        out.push_back(value[i]);
        ++i;
    }
    return out;
}

} // namespace switchboard::sim
