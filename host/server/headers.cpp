#include "host/server/headers.hpp"

#include <algorithm>

namespace switchboard::server {

bool iequals(std::string_view a, std::string_view b) noexcept {
    const auto lower = [](char c) {
        return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
    };
    return a.size() == b.size() &&
           std::equal(a.begin(), a.end(), b.begin(),
                      [&](char x, char y) { return lower(x) == lower(y); });
}

void Headers::set(std::string_view name, std::string_view value) {
    erase(name);
    add(name, value);
}

void Headers::add(std::string_view name, std::string_view value) {
    fields_.emplace_back(name, value);
}

void Headers::erase(std::string_view name) {
    std::erase_if(fields_, [name](const HeaderField& f) { return iequals(f.name(), name); });
}

Headers::const_iterator Headers::find(std::string_view name) const {
    return std::find_if(fields_.begin(), fields_.end(),
                        [name](const HeaderField& f) { return iequals(f.name(), name); });
}

std::string_view Headers::get(std::string_view name) const {
    const auto it = find(name);
    return it == end() ? std::string_view{} : it->value();
}

} // namespace switchboard::server
