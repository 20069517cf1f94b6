#include "tests/provider_sim/google/partial_response.hpp"

#include <cctype>
#include <map>
#include <memory>

namespace switchboard::sim {
namespace {

// A selection: each named member, with what to keep of it (an empty selection: all of it).
struct Selection {
    std::map<std::string, std::unique_ptr<Selection>> members;
    bool everything = false; // "*"

    Selection& member(const std::string& name) {
        auto& slot = members[name];
        if (!slot) {
            slot = std::make_unique<Selection>();
        }
        return *slot;
    }
};

class FieldsParser {
public:
    explicit FieldsParser(std::string_view text) : text_(text) {}

    Result<Selection> parse() {
        Selection root;
        if (auto r = list(root); !r) {
            return r.error();
        }
        if (pos_ != text_.size()) {
            return fail();
        }
        return root;
    }

private:
    Result<void> list(Selection& into) {
        do {
            if (auto r = item(into); !r) {
                return r;
            }
        } while (consume(','));
        return {};
    }

    Result<void> item(Selection& into) {
        Selection* node = &into;
        do {
            const std::string name = identifier();
            if (name.empty()) {
                return fail();
            }
            if (name == "*") {
                node->everything = true;
                return {};
            }
            node = &node->member(name);
        } while (consume('/'));
        if (consume('(')) {
            if (auto r = list(*node); !r) {
                return r;
            }
            if (!consume(')')) {
                return fail();
            }
        }
        return {};
    }

    std::string identifier() {
        const std::size_t start = pos_;
        while (pos_ < text_.size()) {
            const char c = text_[pos_];
            if (std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '*' || c == '@' || c == '.') {
                ++pos_;
            } else {
                break;
            }
        }
        return std::string(text_.substr(start, pos_ - start));
    }

    bool consume(char c) {
        while (pos_ < text_.size() && text_[pos_] == ' ') {
            ++pos_;
        }
        if (pos_ < text_.size() && text_[pos_] == c) {
            ++pos_;
            while (pos_ < text_.size() && text_[pos_] == ' ') {
                ++pos_;
            }
            return true;
        }
        return false;
    }

    Error fail() const {
        return Error(ErrorKind::invalid_input, "invalid_fields",
                     "Invalid field selection " + std::string(text_));
    }

    std::string_view text_;
    std::size_t pos_ = 0;
};

nlohmann::json select_from(const nlohmann::json& value, const Selection& s) {
    if (s.members.empty()) {
        return value; // a leaf, or "*" alone
    }
    if (value.is_array()) {
        nlohmann::json out = nlohmann::json::array();
        for (const auto& element : value) {
            out.push_back(select_from(element, s));
        }
        return out;
    }
    if (!value.is_object()) {
        return value;
    }
    nlohmann::json out = s.everything ? value : nlohmann::json::object();
    for (const auto& [name, sub] : s.members) {
        if (value.contains(name)) {
            out[name] = select_from(value.at(name), *sub);
        }
    }
    return out;
}

} // namespace

Result<nlohmann::json> select_fields(const nlohmann::json& resource, std::string_view fields) {
    auto selection = FieldsParser(fields).parse();
    if (!selection) {
        return selection.error();
    }
    return select_from(resource, *selection);
}

} // namespace switchboard::sim
