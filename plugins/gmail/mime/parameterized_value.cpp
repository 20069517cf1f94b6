#include "plugins/gmail/mime/parameterized_value.hpp"

namespace switchboard::plugins::gmail::mime {
namespace {

std::string lower_trimmed(std::string_view text) {
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t' || text.front() == '\r' ||
                             text.front() == '\n')) {
        text.remove_prefix(1);
    }
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\r' ||
                             text.back() == '\n')) {
        text.remove_suffix(1);
    }
    std::string out(text);
    for (char& c : out) {
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    }
    return out;
}

} // namespace

ParameterizedValue parse_parameterized_value(std::string_view v) {
    ParameterizedValue out;
    std::size_t i = v.find(';');
    out.value = lower_trimmed(v.substr(0, i));
    while (i != std::string_view::npos && i < v.size()) {
        ++i; // past ';'
        const std::size_t eq = v.find('=', i);
        const std::size_t next_semicolon = v.find(';', i);
        if (eq == std::string_view::npos || (next_semicolon != std::string_view::npos && next_semicolon < eq)) {
            i = next_semicolon; // "; flag;" has no value
            continue;
        }
        const std::string name = lower_trimmed(v.substr(i, eq - i));
        std::size_t j = eq + 1;
        while (j < v.size() && (v[j] == ' ' || v[j] == '\t')) ++j;
        std::string value;
        if (j < v.size() && v[j] == '"') {
            for (++j; j < v.size() && v[j] != '"'; ++j) {
                if (v[j] == '\\' && j + 1 < v.size()) ++j;
                value.push_back(v[j]);
            }
            i = v.find(';', j);
        } else {
            const std::size_t end = v.find(';', j);
            std::string_view raw = v.substr(j, end == std::string_view::npos ? end : end - j);
            while (!raw.empty() && (raw.back() == ' ' || raw.back() == '\t')) raw.remove_suffix(1);
            value = raw;
            i = end;
        }
        if (!name.empty()) out.params.emplace(name, std::move(value));
    }
    return out;
}

} // namespace switchboard::plugins::gmail::mime
