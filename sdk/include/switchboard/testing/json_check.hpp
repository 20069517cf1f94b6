// switchboard/testing/json_check.hpp — just enough JSON reading for the fake host to check
// what a plugin wrote (RFC 8259 syntax, and the members of a top-level object) without
// making plugin authors depend on a JSON library. Tests that need more parse the text with
// the library of their choice.
#pragma once

#include "switchboard/json_string.hpp"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace switchboard::sdk::testing {

// The kind of a JSON value.
enum class JsonKind { object, array, string, number, boolean, null };

// One member of a top-level JSON object: its key, the kind of its value and, for a string
// value, the decoded string.
struct JsonMember {
    std::string key;
    JsonKind kind = JsonKind::null;
    std::string string_value;
};

namespace detail {

class JsonScanner {
public:
    explicit JsonScanner(std::string_view text) : text_(text) {}

    // Reads exactly one value surrounded by optional whitespace. When `members` is not
    // NULL and the value is an object, its members are stored there.
    bool document(JsonKind* kind, std::vector<JsonMember>* members) {
        skip_space();
        if (!value(0, kind, nullptr, members)) return false;
        skip_space();
        return pos_ == text_.size();
    }

private:
    static constexpr int max_depth = 256;

    bool at_end() const { return pos_ >= text_.size(); }
    char peek() const { return text_[pos_]; }

    void skip_space() {
        while (!at_end() && (peek() == ' ' || peek() == '\t' || peek() == '\n' || peek() == '\r')) {
            ++pos_;
        }
    }

    bool literal(std::string_view word) {
        if (text_.substr(pos_, word.size()) != word) return false;
        pos_ += word.size();
        return true;
    }

    bool value(int depth, JsonKind* kind, std::string* string_out,
               std::vector<JsonMember>* members) {
        if (depth > max_depth || at_end()) return false;
        JsonKind ignored = JsonKind::null;
        JsonKind& k = kind != nullptr ? *kind : ignored;
        switch (peek()) {
        case '{': k = JsonKind::object; return object(depth, members);
        case '[': k = JsonKind::array; return array(depth);
        case '"': k = JsonKind::string; return string(string_out);
        case 't': k = JsonKind::boolean; return literal("true");
        case 'f': k = JsonKind::boolean; return literal("false");
        case 'n': k = JsonKind::null; return literal("null");
        default: k = JsonKind::number; return number();
        }
    }

    bool object(int depth, std::vector<JsonMember>* members) {
        ++pos_; // '{'
        skip_space();
        if (!at_end() && peek() == '}') {
            ++pos_;
            return true;
        }
        for (;;) {
            skip_space();
            JsonMember member;
            if (at_end() || peek() != '"' || !string(&member.key)) return false;
            skip_space();
            if (at_end() || peek() != ':') return false;
            ++pos_;
            skip_space();
            if (!value(depth + 1, &member.kind, &member.string_value, nullptr)) return false;
            if (members != nullptr) members->push_back(std::move(member));
            skip_space();
            if (at_end()) return false;
            if (peek() == '}') {
                ++pos_;
                return true;
            }
            if (peek() != ',') return false;
            ++pos_;
        }
    }

    bool array(int depth) {
        ++pos_; // '['
        skip_space();
        if (!at_end() && peek() == ']') {
            ++pos_;
            return true;
        }
        for (;;) {
            skip_space();
            if (!value(depth + 1, nullptr, nullptr, nullptr)) return false;
            skip_space();
            if (at_end()) return false;
            if (peek() == ']') {
                ++pos_;
                return true;
            }
            if (peek() != ',') return false;
            ++pos_;
        }
    }

    bool digits() {
        const std::size_t start = pos_;
        while (!at_end() && peek() >= '0' && peek() <= '9') ++pos_;
        return pos_ > start;
    }

    bool number() {
        if (!at_end() && peek() == '-') ++pos_;
        if (at_end()) return false;
        if (peek() == '0') {
            ++pos_;
        } else if (!digits()) {
            return false;
        }
        if (!at_end() && peek() == '.') {
            ++pos_;
            if (!digits()) return false;
        }
        if (!at_end() && (peek() == 'e' || peek() == 'E')) {
            ++pos_;
            if (!at_end() && (peek() == '+' || peek() == '-')) ++pos_;
            if (!digits()) return false;
        }
        return true;
    }

    bool hex4(uint32_t& out) {
        if (text_.size() - pos_ < 4) return false;
        out = 0;
        for (int i = 0; i < 4; ++i) {
            const char c = text_[pos_++];
            uint32_t digit = 0;
            if (c >= '0' && c <= '9') {
                digit = static_cast<uint32_t>(c - '0');
            } else if (c >= 'a' && c <= 'f') {
                digit = static_cast<uint32_t>(c - 'a' + 10);
            } else if (c >= 'A' && c <= 'F') {
                digit = static_cast<uint32_t>(c - 'A' + 10);
            } else {
                return false;
            }
            out = out * 16 + digit;
        }
        return true;
    }

    static void append_utf8(std::string& out, uint32_t cp) {
        const auto byte = [](uint32_t v) { return static_cast<char>(static_cast<unsigned char>(v)); };
        if (cp < 0x80) {
            out.push_back(byte(cp));
        } else if (cp < 0x800) {
            out.push_back(byte(0xC0 | (cp >> 6)));
            out.push_back(byte(0x80 | (cp & 0x3F)));
        } else if (cp < 0x10000) {
            out.push_back(byte(0xE0 | (cp >> 12)));
            out.push_back(byte(0x80 | ((cp >> 6) & 0x3F)));
            out.push_back(byte(0x80 | (cp & 0x3F)));
        } else {
            out.push_back(byte(0xF0 | (cp >> 18)));
            out.push_back(byte(0x80 | ((cp >> 12) & 0x3F)));
            out.push_back(byte(0x80 | ((cp >> 6) & 0x3F)));
            out.push_back(byte(0x80 | (cp & 0x3F)));
        }
    }

    // A string literal; its decoded value goes to `out` when not NULL. Raw control
    // characters and ill-formed UTF-8 are errors; a lone surrogate escape is kept as U+FFFD.
    bool string(std::string* out) {
        ++pos_; // '"'
        std::string ignored;
        std::string& s = out != nullptr ? *out : ignored;
        while (!at_end()) {
            const char c = peek();
            if (c == '"') {
                ++pos_;
                return true;
            }
            if (static_cast<unsigned char>(c) < 0x20) return false;
            if (c != '\\') {
                const std::size_t length = sdk::detail::utf8_sequence_length(text_, pos_);
                if (length == 0) return false;
                s.append(text_.substr(pos_, length));
                pos_ += length;
                continue;
            }
            ++pos_;
            if (at_end()) return false;
            const char e = text_[pos_++];
            switch (e) {
            case '"': s.push_back('"'); break;
            case '\\': s.push_back('\\'); break;
            case '/': s.push_back('/'); break;
            case 'b': s.push_back('\b'); break;
            case 'f': s.push_back('\f'); break;
            case 'n': s.push_back('\n'); break;
            case 'r': s.push_back('\r'); break;
            case 't': s.push_back('\t'); break;
            case 'u': {
                uint32_t cp = 0;
                if (!hex4(cp)) return false;
                if (cp >= 0xD800 && cp <= 0xDBFF && text_.substr(pos_, 2) == "\\u") {
                    const std::size_t save = pos_;
                    pos_ += 2;
                    uint32_t low = 0;
                    if (hex4(low) && low >= 0xDC00 && low <= 0xDFFF) {
                        cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
                    } else {
                        pos_ = save;
                    }
                }
                append_utf8(s, cp >= 0xD800 && cp <= 0xDFFF ? 0xFFFD : cp);
                break;
            }
            default: return false;
            }
        }
        return false;
    }

    std::string_view text_;
    std::size_t pos_ = 0;
};

} // namespace detail

// True when `text` is exactly one JSON value (RFC 8259), with optional whitespace around.
inline bool is_valid_json(std::string_view text) {
    return detail::JsonScanner(text).document(nullptr, nullptr);
}

// The members of `text` when it is a valid JSON object, std::nullopt otherwise.
inline std::optional<std::vector<JsonMember>> json_object_members(std::string_view text) {
    JsonKind kind = JsonKind::null;
    std::vector<JsonMember> members;
    if (!detail::JsonScanner(text).document(&kind, &members) || kind != JsonKind::object) {
        return std::nullopt;
    }
    return members;
}

// The decoded value of the string member `key` of the JSON object `text`, or std::nullopt
// when `text` is not an object or has no such string member.
inline std::optional<std::string> json_string_member(std::string_view text, std::string_view key) {
    const auto members = json_object_members(text);
    if (!members) return std::nullopt;
    for (const auto& m : *members) {
        if (m.key == key && m.kind == JsonKind::string) return m.string_value;
    }
    return std::nullopt;
}

} // namespace switchboard::sdk::testing
