#include "core/config/sections.hpp"

namespace switchboard::config::detail {

LogConfig parse_log_section(const ConfigSection& s) {
    LogConfig c;
    if (auto format = s.choice("format", {"text", "json"})) {
        c.format = *format == "json" ? LogFormat::json : LogFormat::text;
    }
    if (auto level =
            s.choice("level", {"trace", "debug", "info", "warning", "error", "critical", "off"})) {
        static const std::pair<std::string_view, LogLevel> kLevels[] = {
            {"trace", LogLevel::trace},     {"debug", LogLevel::debug},
            {"info", LogLevel::info},       {"warning", LogLevel::warning},
            {"error", LogLevel::error},     {"critical", LogLevel::critical},
            {"off", LogLevel::off},
        };
        for (const auto& [name, value] : kLevels) {
            if (name == *level) {
                c.level = value;
            }
        }
    }
    return c;
}

} // namespace switchboard::config::detail
