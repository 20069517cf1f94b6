// Reading an action's params defensively. The host has validated them against the category
// schema already; this still refuses, with SB_STATUS_INVALID_INPUT and the field's JSON
// Pointer, anything the plugin could not use (wrong types, missing members), so a host bug or
// a schema change cannot make the plugin misbehave.
#pragma once

#include "switchboard/outcome.hpp"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace switchboard::plugins::gmail {

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
    // Records an error of the caller's own (first error wins).
    void fail(std::string pointer, std::string message);

    // The error outcome: SB_STATUS_INVALID_INPUT, code "invalid_params", with the field.
    sdk::Outcome error() const;

private:
    nlohmann::json root_;
    std::string error_pointer_;
    std::string error_message_;
};

} // namespace switchboard::plugins::gmail
