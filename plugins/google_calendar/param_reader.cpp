#include "plugins/google_calendar/param_reader.hpp"

#include <algorithm>
#include <limits>
#include <utility>

namespace switchboard::plugins::google_calendar {

using nlohmann::json;

namespace {

// Code points in a UTF-8 string (the schema's lengths count code points, not bytes).
std::size_t code_points(std::string_view text) {
    return static_cast<std::size_t>(std::count_if(text.begin(), text.end(), [](char c) {
        return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
    }));
}

std::string quoted(std::string_view pointer) {
    return pointer.empty() ? std::string("the params") : "'" + std::string(pointer) + "'";
}

} // namespace

ParamReader::ParamReader(std::string_view params_json) {
    json parsed = json::parse(params_json, nullptr, /*allow_exceptions=*/false);
    if (!parsed.is_object()) {
        fail("", "the params are not a JSON object");
        return;
    }
    root_ = std::move(parsed);
}

sdk::Outcome ParamReader::error() const {
    return sdk::Outcome::invalid_input("invalid_params", message_, field_);
}

void ParamReader::fail(std::string pointer, std::string message) {
    if (failed_) return;
    failed_ = true;
    field_ = std::move(pointer);
    message_ = std::move(message);
}

std::string ParamReader::child(std::string_view pointer, std::string_view name) {
    std::string out(pointer);
    out += '/';
    for (const char c : name) {
        if (c == '~') out += "~0";
        else if (c == '/') out += "~1";
        else out += c;
    }
    return out;
}

std::string ParamReader::child(std::string_view pointer, std::size_t index) {
    return std::string(pointer) + "/" + std::to_string(index);
}

void ParamReader::allow_only(const json& object, std::string_view pointer,
                             std::initializer_list<std::string_view> allowed) {
    if (!object.is_object()) return;
    for (const auto& [key, value] : object.items()) {
        if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
            fail(child(pointer, key), "unknown field '" + key + "' in " + quoted(pointer));
            return;
        }
    }
}

const json* ParamReader::find(const json& object, std::string_view pointer, std::string_view name,
                              bool required) {
    if (!object.is_object()) return nullptr;
    const auto it = object.find(name);
    if (it == object.end() || it->is_null()) {
        if (required) fail(child(pointer, name), "'" + child(pointer, name) + "' is required");
        return nullptr;
    }
    return &*it;
}

std::optional<std::string> ParamReader::string(const json& object, std::string_view pointer,
                                               std::string_view name, bool required,
                                               std::size_t min_length, std::size_t max_length) {
    const json* value = find(object, pointer, name, required);
    if (value == nullptr) return std::nullopt;
    const std::string field = child(pointer, name);
    if (!value->is_string()) {
        fail(field, "'" + field + "' must be a string");
        return std::nullopt;
    }
    std::string text = value->get<std::string>();
    const std::size_t length = code_points(text);
    if (length < min_length || length > max_length) {
        fail(field, "'" + field + "' must be " + std::to_string(min_length) + " to " +
                        std::to_string(max_length) + " characters long");
        return std::nullopt;
    }
    return text;
}

std::optional<bool> ParamReader::boolean(const json& object, std::string_view pointer,
                                         std::string_view name, bool required) {
    const json* value = find(object, pointer, name, required);
    if (value == nullptr) return std::nullopt;
    if (!value->is_boolean()) {
        fail(child(pointer, name), "'" + child(pointer, name) + "' must be true or false");
        return std::nullopt;
    }
    return value->get<bool>();
}

std::optional<std::int64_t> ParamReader::integer(const json& object, std::string_view pointer,
                                                 std::string_view name, bool required,
                                                 std::int64_t min, std::int64_t max) {
    const json* value = find(object, pointer, name, required);
    if (value == nullptr) return std::nullopt;
    const std::string field = child(pointer, name);
    std::optional<std::int64_t> number;
    if (value->is_number_unsigned()) {
        const auto u = value->get<std::uint64_t>();
        if (u <= static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
            number = static_cast<std::int64_t>(u);
        }
    } else if (value->is_number_integer()) {
        number = value->get<std::int64_t>();
    } else if (value->is_number_float()) {
        // JSON Schema's "integer" admits 10.0; anything with a fraction is refused.
        const double d = value->get<double>();
        if (d == static_cast<double>(static_cast<std::int64_t>(d)) && d >= -9.0e15 && d <= 9.0e15) {
            number = static_cast<std::int64_t>(d);
        }
    }
    if (!number || *number < min || *number > max) {
        fail(field, "'" + field + "' must be an integer from " + std::to_string(min) + " to " +
                        std::to_string(max));
        return std::nullopt;
    }
    return number;
}

const json* ParamReader::object(const json& object, std::string_view pointer,
                                std::string_view name, bool required) {
    const json* value = find(object, pointer, name, required);
    if (value == nullptr) return nullptr;
    if (!value->is_object()) {
        fail(child(pointer, name), "'" + child(pointer, name) + "' must be an object");
        return nullptr;
    }
    return value;
}

const json* ParamReader::array(const json& object, std::string_view pointer, std::string_view name,
                               bool required, std::size_t min_items, std::size_t max_items) {
    const json* value = find(object, pointer, name, required);
    if (value == nullptr) return nullptr;
    const std::string field = child(pointer, name);
    if (!value->is_array()) {
        fail(field, "'" + field + "' must be an array");
        return nullptr;
    }
    if (value->size() < min_items || value->size() > max_items) {
        fail(field, "'" + field + "' must have " + std::to_string(min_items) + " to " +
                        std::to_string(max_items) + " items");
        return nullptr;
    }
    return value;
}

} // namespace switchboard::plugins::google_calendar
