// HubSpot property names as the CRM v3 API accepts them in a request body: its property
// maps take names matching ^[A-Za-z0-9_]+$ (specs: PropertyInputMap.propertyNames).
#pragma once

#include <cstddef>
#include <string_view>

namespace switchboard::plugins::hubspot {

// HubSpot's internal property names are short; this bound only keeps absurd input out.
inline constexpr std::size_t max_property_name_length = 256;

constexpr bool is_property_name(std::string_view name) noexcept {
    if (name.empty() || name.size() > max_property_name_length) return false;
    for (const char c : name) {
        const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                        c == '_';
        if (!ok) return false;
    }
    return true;
}

} // namespace switchboard::plugins::hubspot
