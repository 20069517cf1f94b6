// Which provider a token, code or grant belongs to.
#pragma once

#include <string_view>

namespace switchboard::sim {

enum class Provider { google, hubspot };

constexpr std::string_view to_string(Provider p) {
    return p == Provider::google ? "google" : "hubspot";
}

} // namespace switchboard::sim
