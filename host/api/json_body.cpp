#include "host/api/json_body.hpp"

#include "core/common/json_pointer.hpp"
#include "host/server/require_json.hpp"

#include <algorithm>

namespace switchboard::api {

std::string field_pointer(std::string_view name) {
    return "/" + json_pointer_token(name);
}

Error with_body_pointer(Error error) {
    if (!error.field.empty() && error.field.front() != '/') {
        error.field = field_pointer(error.field);
    }
    return error;
}

Result<nlohmann::json> require_json_object(const server::Request& request) {
    auto body = server::require_json(request);
    if (!body) {
        return body.error();
    }
    if (!body->is_object()) {
        return Error(ErrorKind::invalid_input, "invalid_body", "request body must be a JSON object");
    }
    return std::move(*body);
}

Result<std::optional<std::string>> optional_string(const nlohmann::json& object,
                                                   std::string_view name,
                                                   std::size_t max_length) {
    const auto it = object.find(name);
    if (it == object.end() || it->is_null()) {
        return std::optional<std::string>();
    }
    const std::string pointer = field_pointer(name);
    if (!it->is_string()) {
        return Error(ErrorKind::invalid_input, "invalid_field",
                     "'" + std::string(name) + "' must be a string", pointer);
    }
    const auto& text = it->get_ref<const std::string&>();
    if (text.empty()) {
        return Error(ErrorKind::invalid_input, "invalid_field",
                     "'" + std::string(name) + "' must not be empty", pointer);
    }
    if (text.size() > max_length) {
        return Error(ErrorKind::invalid_input, "invalid_field",
                     "'" + std::string(name) + "' must be at most " + std::to_string(max_length) +
                         " bytes long",
                     pointer);
    }
    return std::optional<std::string>(text);
}

Result<std::string> required_string(const nlohmann::json& object, std::string_view name,
                                    std::size_t max_length) {
    auto value = optional_string(object, name, max_length);
    if (!value) {
        return value.error();
    }
    if (!*value) {
        return Error(ErrorKind::invalid_input, "missing_field",
                     "'" + std::string(name) + "' is required", field_pointer(name));
    }
    return std::move(**value);
}

Result<void> only_fields(const nlohmann::json& object,
                         std::initializer_list<std::string_view> allowed) {
    for (const auto& [key, value] : object.items()) {
        if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
            std::string list;
            for (auto name : allowed) {
                list += list.empty() ? "" : ", ";
                list += name;
            }
            // The name is the client's own input: echo a bounded part of it.
            const std::string shown = key.size() > 64 ? key.substr(0, 64) + "..." : key;
            return Error(ErrorKind::invalid_input, "unknown_field",
                         "'" + shown + "' is not a field of this request (expected " + list + ")",
                         field_pointer(key));
        }
    }
    return {};
}

} // namespace switchboard::api
