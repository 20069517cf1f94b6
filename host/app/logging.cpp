#include "host/app/logging.hpp"

#include "core/logging/logging.hpp"

namespace switchboard::app {

spdlog::level::level_enum to_spdlog_level(config::LogLevel level) noexcept {
    switch (level) {
    case config::LogLevel::trace: return spdlog::level::trace;
    case config::LogLevel::debug: return spdlog::level::debug;
    case config::LogLevel::info: return spdlog::level::info;
    case config::LogLevel::warning: return spdlog::level::warn;
    case config::LogLevel::error: return spdlog::level::err;
    case config::LogLevel::critical: return spdlog::level::critical;
    case config::LogLevel::off: return spdlog::level::off;
    }
    return spdlog::level::info;
}

std::shared_ptr<spdlog::logger> setup_logging(const config::LogConfig& config) {
    // One set of formatters for the whole process: those that print the structured fields.
    return logging::setup_logging(
        {config.format == config::LogFormat::json ? logging::Format::json : logging::Format::text,
         to_spdlog_level(config.level)});
}

} // namespace switchboard::app
