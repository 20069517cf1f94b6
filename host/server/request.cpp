#include "host/server/request.hpp"

namespace switchboard::server {

void Params::add(std::string name, std::string value) {
    items_.emplace_back(std::move(name), std::move(value));
}

std::optional<std::string_view> Params::get(std::string_view name) const {
    for (const auto& [key, value] : items_) {
        if (key == name) {
            return std::string_view(value);
        }
    }
    return std::nullopt;
}

std::vector<std::string_view> Params::all(std::string_view name) const {
    std::vector<std::string_view> values;
    for (const auto& [key, value] : items_) {
        if (key == name) {
            values.emplace_back(value);
        }
    }
    return values;
}

std::string_view Request::path_param(std::string_view name) const {
    return path_params.get(name).value_or(std::string_view{});
}

std::string_view Request::header(std::string_view name) const {
    return headers.get(name);
}

} // namespace switchboard::server
