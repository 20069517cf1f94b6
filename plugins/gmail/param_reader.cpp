#include "plugins/gmail/param_reader.hpp"

namespace switchboard::plugins::gmail {

ParamReader::ParamReader(std::string_view params_json)
    : root_(nlohmann::json::parse(params_json, nullptr, /*allow_exceptions=*/false)) {
    if (root_.is_discarded() || !root_.is_object()) {
        root_ = nlohmann::json::object();
        fail("", "the params are not a JSON object");
    }
}

void ParamReader::fail(std::string pointer, std::string message) {
    if (!ok()) return;
    error_pointer_ = std::move(pointer);
    error_message_ = std::move(message);
}

std::optional<std::string> ParamReader::string(const nlohmann::json& object, std::string_view at,
                                               const char* key, bool required) {
    const std::string pointer = std::string(at) + "/" + key;
    const auto it = object.find(key);
    if (it == object.end() || it->is_null()) {
        if (required) fail(pointer, std::string("'") + key + "' is required");
        return std::nullopt;
    }
    if (!it->is_string()) {
        fail(pointer, std::string("'") + key + "' must be a string");
        return std::nullopt;
    }
    return it->get<std::string>();
}

std::optional<std::int64_t> ParamReader::integer(const nlohmann::json& object, std::string_view at,
                                                 const char* key, std::int64_t min, std::int64_t max) {
    const std::string pointer = std::string(at) + "/" + key;
    const auto it = object.find(key);
    if (it == object.end() || it->is_null()) return std::nullopt;
    if (!it->is_number_integer()) {
        fail(pointer, std::string("'") + key + "' must be an integer");
        return std::nullopt;
    }
    const auto value = it->get<std::int64_t>();
    if (value < min || value > max) {
        fail(pointer, std::string("'") + key + "' must be between " + std::to_string(min) +
                          " and " + std::to_string(max));
        return std::nullopt;
    }
    return value;
}

const nlohmann::json* ParamReader::array(const nlohmann::json& object, std::string_view at,
                                         const char* key) {
    const auto it = object.find(key);
    if (it == object.end() || it->is_null()) return nullptr;
    if (!it->is_array()) {
        fail(std::string(at) + "/" + key, std::string("'") + key + "' must be an array");
        return nullptr;
    }
    return &*it;
}

const nlohmann::json* ParamReader::object(const nlohmann::json& object, std::string_view at,
                                          const char* key) {
    const auto it = object.find(key);
    if (it == object.end() || it->is_null()) return nullptr;
    if (!it->is_object()) {
        fail(std::string(at) + "/" + key, std::string("'") + key + "' must be an object");
        return nullptr;
    }
    return &*it;
}

sdk::Outcome ParamReader::error() const {
    return sdk::Outcome::invalid_input("invalid_params", error_message_, error_pointer_);
}

} // namespace switchboard::plugins::gmail
