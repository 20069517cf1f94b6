// The action's params, read defensively. The host has validated them against the crm
// contract already; this reader still refuses, with SB_STATUS_INVALID_INPUT and a JSON
// Pointer to the field, anything the plugin could not use (defence in depth: a host bug or
// a newer contract must not make the plugin send a malformed request or crash).
#pragma once

#include "plugins/hubspot/checked.hpp"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace switchboard::plugins::hubspot {

// "/name" for a top-level member, "/properties/a~1b" for a nested one (RFC 6901 escaping).
std::string json_pointer(std::string_view member);
std::string json_pointer(std::string_view member, std::string_view child);

// The SB_STATUS_INVALID_INPUT outcome for a params field the plugin cannot use.
sdk::Outcome invalid_param(std::string_view field_pointer, std::string_view message);

class Params {
public:
    // `text` must be one JSON object.
    static Checked<Params> parse(std::string_view text);

    const nlohmann::json& document() const noexcept { return json_; }
    bool has(std::string_view name) const;

    // A string member, or nullopt when absent. Present but not a string: an error.
    Checked<std::optional<std::string>> optional_string(std::string_view name) const;
    // A non-empty string member; absent, empty or not a string: an error.
    Checked<std::string> required_string(std::string_view name) const;
    // An integer member in [min, max], or nullopt when absent.
    Checked<std::optional<std::int64_t>> optional_integer(std::string_view name, std::int64_t min,
                                                          std::int64_t max) const;
    // A number member (integer or not) that is at least `min`, or nullopt when absent.
    Checked<std::optional<nlohmann::json>> optional_number(std::string_view name, double min) const;
    // An object member, or nullopt when absent.
    Checked<std::optional<nlohmann::json>> optional_object(std::string_view name) const;

private:
    explicit Params(nlohmann::json json) : json_(std::move(json)) {}
    const nlohmann::json* find(std::string_view name) const;

    nlohmann::json json_;
};

} // namespace switchboard::plugins::hubspot
