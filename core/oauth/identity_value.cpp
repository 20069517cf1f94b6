#include "core/oauth/identity_value.hpp"

#include "core/oauth/oauth_errors.hpp"

#include <nlohmann/json.hpp>

namespace switchboard::oauth {

Result<std::string> identity_value(std::string_view provider, const nlohmann::json& answer,
                                   const std::string& pointer_text, std::string_view access_token) {
    const auto missing = [&] {
        return Error(ErrorKind::upstream_failed, std::string(provider_error),
                     std::string(provider) + " identity answer has no value at " + pointer_text);
    };
    nlohmann::json::json_pointer pointer;
    try {
        pointer = nlohmann::json::json_pointer(pointer_text);
    } catch (const nlohmann::json::exception&) {
        return Error(ErrorKind::internal, "invalid_provider_config",
                     std::string(provider) + " identity field " + pointer_text +
                         " is not a JSON Pointer");
    }
    nlohmann::json value;
    try {
        if (!answer.contains(pointer)) return missing();
        value = answer.at(pointer);
    } catch (const nlohmann::json::exception&) {
        return missing();
    }
    std::string text;
    if (value.is_string()) {
        text = value.get<std::string>();
    } else if (value.is_number_integer() || value.is_number_unsigned()) {
        text = value.dump();
    }
    if (text.empty() || text == access_token) return missing();
    return text;
}

} // namespace switchboard::oauth
