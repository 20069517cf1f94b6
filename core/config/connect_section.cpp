#include "core/config/sections.hpp"

namespace switchboard::config::detail {

ConnectConfig parse_connect_section(const ConfigSection& s) {
    ConnectConfig c;
    if (auto mode = s.choice("confirmation", {"required", "immediate"})) {
        c.confirmation =
            *mode == "immediate" ? ConnectConfirmation::immediate : ConnectConfirmation::required;
    }
    c.sweep_interval_seconds = s.integer_as<std::uint32_t>("sweep_interval_seconds", 1, 3600)
                                   .value_or(c.sweep_interval_seconds);
    return c;
}

} // namespace switchboard::config::detail
