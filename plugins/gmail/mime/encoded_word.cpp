#include "plugins/gmail/mime/encoded_word.hpp"

#include "plugins/common/base64.hpp"
#include "plugins/gmail/mime/ascii_text.hpp"
#include "plugins/gmail/mime/charset.hpp"
#include "plugins/gmail/mime/utf8.hpp"

namespace switchboard::plugins::gmail::mime {
namespace {

// RFC 2047 §5(3): in a phrase, only these stand for themselves in Q-encoded text.
bool q_literal(unsigned char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '!' ||
           c == '*' || c == '+' || c == '-' || c == '/';
}

std::size_t q_length(std::string_view bytes) {
    std::size_t n = 0;
    for (const char c : bytes) {
        const auto u = static_cast<unsigned char>(c);
        n += (q_literal(u) || u == ' ') ? 1 : 3;
    }
    return n;
}

void append_q(std::string& out, std::string_view bytes) {
    for (const char c : bytes) {
        const auto u = static_cast<unsigned char>(c);
        if (u == ' ') {
            out.push_back('_');
        } else if (q_literal(u)) {
            out.push_back(c);
        } else {
            out.push_back('=');
            out.push_back(hex_digits[u >> 4]);
            out.push_back(hex_digits[u & 0x0F]);
        }
    }
}

int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;
}

std::string decode_q(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (c == '_') {
            out.push_back(' ');
        } else if (c == '=' && i + 2 < text.size() && hex_value(text[i + 1]) >= 0 &&
                   hex_value(text[i + 2]) >= 0) {
            out.push_back(static_cast<char>(hex_value(text[i + 1]) * 16 + hex_value(text[i + 2])));
            i += 2;
        } else {
            out.push_back(c);
        }
    }
    return out;
}

bool is_wsp(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

// The encoded-word starting at text[start] ("=?"), its length in `length`; false if none.
bool match_word(std::string_view text, std::size_t start, std::size_t& length) {
    // =? charset ? encoding ? encoded-text ?=
    const std::size_t q1 = text.find('?', start + 2);
    if (q1 == std::string_view::npos || q1 == start + 2) return false;
    if (q1 + 2 >= text.size() || text[q1 + 2] != '?') return false;
    const char encoding = text[q1 + 1];
    if (encoding != 'B' && encoding != 'b' && encoding != 'Q' && encoding != 'q') return false;
    const std::size_t end = text.find("?=", q1 + 3);
    if (end == std::string_view::npos) return false;
    for (std::size_t i = start + 2; i < end; ++i) {
        const auto u = static_cast<unsigned char>(text[i]);
        if (u <= ' ' || u >= 0x7F) return false; // no whitespace or 8-bit inside a word
    }
    length = end + 2 - start;
    return true;
}

} // namespace

std::vector<std::string> encode_words(std::string_view utf8, std::size_t max_length) {
    const bool use_q = q_length(utf8) <= base64::encoded_size(utf8.size());
    const std::string_view prefix = use_q ? "=?UTF-8?Q?" : "=?UTF-8?B?";
    const std::size_t budget = max_length - prefix.size() - 2;

    std::vector<std::string> words;
    std::size_t begin = 0;
    while (begin < utf8.size()) {
        std::size_t end = begin;
        while (end < utf8.size()) {
            std::size_t length = utf8_sequence_length(utf8, end);
            if (length == 0) length = 1; // an ill-formed byte travels alone
            const std::string_view candidate = utf8.substr(begin, end + length - begin);
            const std::size_t encoded =
                use_q ? q_length(candidate) : base64::encoded_size(candidate.size());
            if (encoded > budget && end > begin) break;
            end += length;
        }
        std::string word(prefix);
        const std::string_view chunk = utf8.substr(begin, end - begin);
        if (use_q) {
            append_q(word, chunk);
        } else {
            word += base64::encode(chunk);
        }
        word += "?=";
        words.push_back(std::move(word));
        begin = end;
    }
    return words;
}

bool decode_word(std::string_view word, std::string& utf8_out) {
    std::size_t length = 0;
    if (word.size() < 8 || !word.starts_with("=?") || !match_word(word, 0, length) ||
        length != word.size()) {
        return false;
    }
    const std::size_t q1 = word.find('?', 2);
    std::string_view charset = word.substr(2, q1 - 2);
    if (const std::size_t star = charset.find('*'); star != std::string_view::npos) {
        charset = charset.substr(0, star); // RFC 2231 §5: charset*language
    }
    const char encoding = word[q1 + 1];
    const std::string_view text = word.substr(q1 + 3, word.size() - (q1 + 3) - 2);
    std::string bytes;
    if (encoding == 'B' || encoding == 'b') {
        auto decoded = base64::decode(text);
        if (!decoded) return false;
        bytes = std::move(*decoded);
    } else {
        bytes = decode_q(text);
    }
    utf8_out = to_utf8(bytes, charset).utf8;
    return true;
}

std::string decode_header_text(std::string_view value) {
    // Unfold: RFC 5322 §2.2.3 removes each CRLF that precedes whitespace. Bare LFs seen in
    // the wild are treated the same; a line break not followed by whitespace is kept as a space.
    std::string unfolded;
    unfolded.reserve(value.size());
    for (std::size_t i = 0; i < value.size(); ++i) {
        if (value[i] == '\r' && i + 1 < value.size() && value[i + 1] == '\n') continue;
        if (value[i] == '\n') {
            if (i + 1 < value.size() && (value[i + 1] == ' ' || value[i + 1] == '\t')) continue;
            unfolded.push_back(' ');
            continue;
        }
        unfolded.push_back(value[i]);
    }

    std::string out;
    out.reserve(unfolded.size());
    std::size_t i = 0;
    std::size_t pending_space_begin = std::string::npos; // whitespace after an encoded-word
    bool last_was_word = false;
    while (i < unfolded.size()) {
        std::size_t length = 0;
        if (unfolded.compare(i, 2, "=?") == 0 && match_word(unfolded, i, length)) {
            std::string decoded;
            if (decode_word(std::string_view(unfolded).substr(i, length), decoded)) {
                // Whitespace between two encoded-words is dropped (§6.2); anywhere else kept.
                if (!last_was_word && pending_space_begin != std::string::npos) {
                    out.append(unfolded, pending_space_begin, i - pending_space_begin);
                }
                out += decoded;
                i += length;
                last_was_word = true;
                pending_space_begin = std::string::npos;
                continue;
            }
        }
        if (is_wsp(unfolded[i])) {
            if (pending_space_begin == std::string::npos) pending_space_begin = i;
            ++i;
            continue;
        }
        if (pending_space_begin != std::string::npos) {
            out.append(unfolded, pending_space_begin, i - pending_space_begin);
            pending_space_begin = std::string::npos;
        }
        last_was_word = false;
        // Copy up to the next whitespace or "=?".
        const std::size_t start = i;
        ++i;
        while (i < unfolded.size() && !is_wsp(unfolded[i]) && unfolded.compare(i, 2, "=?") != 0) ++i;
        out.append(unfolded, start, i - start);
    }
    if (pending_space_begin != std::string::npos) out.append(unfolded, pending_space_begin);
    return sanitize_utf8(out);
}

} // namespace switchboard::plugins::gmail::mime
