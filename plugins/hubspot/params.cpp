#include "plugins/hubspot/params.hpp"

#include <utility>

namespace switchboard::plugins::hubspot {

using nlohmann::json;

std::string json_pointer(std::string_view member) {
    json::json_pointer pointer;
    pointer.push_back(std::string(member));
    return pointer.to_string();
}

std::string json_pointer(std::string_view member, std::string_view child) {
    json::json_pointer pointer;
    pointer.push_back(std::string(member));
    pointer.push_back(std::string(child));
    return pointer.to_string();
}

sdk::Outcome invalid_param(std::string_view field_pointer, std::string_view message) {
    return sdk::Outcome::invalid_input("invalid_params", message, field_pointer);
}

Checked<Params> Params::parse(std::string_view text) {
    json parsed = json::parse(text, nullptr, /*allow_exceptions=*/false);
    if (!parsed.is_object()) {
        return sdk::Outcome::invalid_input("invalid_params", "the params are not a JSON object");
    }
    return Params(std::move(parsed));
}

const json* Params::find(std::string_view name) const {
    const auto it = json_.find(name);
    return it == json_.end() ? nullptr : &*it;
}

bool Params::has(std::string_view name) const { return find(name) != nullptr; }

Checked<std::optional<std::string>> Params::optional_string(std::string_view name) const {
    const json* value = find(name);
    if (value == nullptr) return std::optional<std::string>();
    if (!value->is_string()) {
        return invalid_param(json_pointer(name), std::string(name) + " must be a string");
    }
    return std::optional<std::string>(value->get<std::string>());
}

Checked<std::string> Params::required_string(std::string_view name) const {
    const json* value = find(name);
    if (value == nullptr || !value->is_string() || value->get_ref<const std::string&>().empty()) {
        return invalid_param(json_pointer(name), std::string(name) + " must be a non-empty string");
    }
    return value->get<std::string>();
}

Checked<std::optional<std::int64_t>> Params::optional_integer(std::string_view name,
                                                              std::int64_t min,
                                                              std::int64_t max) const {
    const json* value = find(name);
    if (value == nullptr) return std::optional<std::int64_t>();
    const std::string range = " must be an integer from " + std::to_string(min) + " to " +
                              std::to_string(max);
    if (value->is_number_unsigned()) {
        const auto n = value->get<std::uint64_t>();
        if (n > static_cast<std::uint64_t>(max) || static_cast<std::int64_t>(n) < min) {
            return invalid_param(json_pointer(name), std::string(name) + range);
        }
        return std::optional<std::int64_t>(static_cast<std::int64_t>(n));
    }
    if (value->is_number_integer()) {
        const auto n = value->get<std::int64_t>();
        if (n < min || n > max) return invalid_param(json_pointer(name), std::string(name) + range);
        return std::optional<std::int64_t>(n);
    }
    return invalid_param(json_pointer(name), std::string(name) + range);
}

Checked<std::optional<json>> Params::optional_number(std::string_view name, double min) const {
    const json* value = find(name);
    if (value == nullptr) return std::optional<json>();
    if (!value->is_number() || value->get<double>() < min) {
        return invalid_param(json_pointer(name),
                             std::string(name) + " must be a number of at least " +
                                 json(min).dump());
    }
    return std::optional<json>(*value);
}

Checked<std::optional<json>> Params::optional_object(std::string_view name) const {
    const json* value = find(name);
    if (value == nullptr) return std::optional<json>();
    if (!value->is_object()) {
        return invalid_param(json_pointer(name), std::string(name) + " must be an object");
    }
    return std::optional<json>(*value);
}

} // namespace switchboard::plugins::hubspot
