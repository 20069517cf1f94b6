// Reading an action's params defensively. The host has validated them against the category
// schema already; this still refuses, with SB_STATUS_INVALID_INPUT and the field's JSON
// Pointer, anything the plugin could not use (wrong types, missing members), so a host bug or
// a schema change cannot make the plugin misbehave.
// Header-only, so each plugin library compiles its own copy and exports nothing.
#pragma once

#include "switchboard/outcome.hpp"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace switchboard::plugins {

class ParamReader {
public:
    // Parses `params_json`; anything but a JSON object is an error.
    explicit ParamReader(std::string_view params_json);

    bool ok() const noexcept { return error_message_.empty(); }
    const nlohmann::json& root() const noexcept { return root_; }

    // The string member `key` of `object` (whose pointer is `at`, "" for the root), nullopt
    // when absent; an error when required and absent, or present and not a string.
    std::optional<std::string> string(const nlohmann::json& object, std::string_view at,
                                      const char* key, bool required = false);
    // The integer member `key`, clamped to nothing: out of [min, max] is an error.
    std::optional<std::int64_t> integer(const nlohmann::json& object, std::string_view at,
                                        const char* key, std::int64_t min, std::int64_t max);
    // The member `key` when it is an array (nullptr when absent; error when not an array).
    const nlohmann::json* array(const nlohmann::json& object, std::string_view at, const char* key);
    // The member `key` when it is an object (nullptr when absent; error when not an object).
    const nlohmann::json* object(const nlohmann::json& object, std::string_view at, const char* key);
    // The boolean member `key`, nullopt when absent; an error when not a boolean.
    std::optional<bool> boolean(const nlohmann::json& object, std::string_view at, const char* key);
    // Records an error of the caller's own (first error wins).
    void fail(std::string pointer, std::string message);

    // The error outcome: SB_STATUS_INVALID_INPUT, code "invalid_params", with the field.
    sdk::Outcome error() const;

private:
    nlohmann::json root_;
    std::string error_pointer_;
    std::string error_message_;
};

inline ParamReader::ParamReader(std::string_view params_json)
    : root_(nlohmann::json::parse(params_json, nullptr, /*allow_exceptions=*/false)) {
    if (root_.is_discarded() || !root_.is_object()) {
        root_ = nlohmann::json::object();
        fail("", "the params are not a JSON object");
    }
}

inline void ParamReader::fail(std::string pointer, std::string message) {
    if (!ok()) return;
    error_pointer_ = std::move(pointer);
    error_message_ = std::move(message);
}

inline std::optional<std::string> ParamReader::string(const nlohmann::json& object, std::string_view at,
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

inline std::optional<std::int64_t> ParamReader::integer(const nlohmann::json& object, std::string_view at,
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

inline std::optional<bool> ParamReader::boolean(const nlohmann::json& object, std::string_view at,
                                         const char* key) {
    const auto it = object.find(key);
    if (it == object.end() || it->is_null()) return std::nullopt;
    if (!it->is_boolean()) {
        fail(std::string(at) + "/" + key, std::string("'") + key + "' must be a boolean");
        return std::nullopt;
    }
    return it->get<bool>();
}

inline const nlohmann::json* ParamReader::array(const nlohmann::json& object, std::string_view at,
                                         const char* key) {
    const auto it = object.find(key);
    if (it == object.end() || it->is_null()) return nullptr;
    if (!it->is_array()) {
        fail(std::string(at) + "/" + key, std::string("'") + key + "' must be an array");
        return nullptr;
    }
    return &*it;
}

inline const nlohmann::json* ParamReader::object(const nlohmann::json& object, std::string_view at,
                                          const char* key) {
    const auto it = object.find(key);
    if (it == object.end() || it->is_null()) return nullptr;
    if (!it->is_object()) {
        fail(std::string(at) + "/" + key, std::string("'") + key + "' must be an object");
        return nullptr;
    }
    return &*it;
}

inline sdk::Outcome ParamReader::error() const {
    return sdk::Outcome::invalid_input("invalid_params", error_message_, error_pointer_);
}

} // namespace switchboard::plugins
