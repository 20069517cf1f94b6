#include "host/app/logging.hpp"

#include "core/common/logging.hpp"

namespace switchboard {

spdlog::level::level_enum to_spdlog_level(LogLevel level) noexcept {
    switch (level) {
    case LogLevel::trace: return spdlog::level::trace;
    case LogLevel::debug: return spdlog::level::debug;
    case LogLevel::info: return spdlog::level::info;
    case LogLevel::warning: return spdlog::level::warn;
    case LogLevel::error: return spdlog::level::err;
    case LogLevel::critical: return spdlog::level::critical;
    case LogLevel::off: return spdlog::level::off;
    }
    return spdlog::level::info;
}

std::shared_ptr<spdlog::logger> setup_logging(const LogConfig& config) {
    // One set of formatters for the whole process: those that print the structured fields.
    return logging::setup_logging(
        {config.format == LogFormat::json ? logging::Format::json : logging::Format::text,
         to_spdlog_level(config.level)});
}

} // namespace switchboard
