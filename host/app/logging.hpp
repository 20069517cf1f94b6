// The host's log output: one line per event on stderr, as text or as JSON objects.
#pragma once

#include "core/config/config.hpp"

#include <spdlog/formatter.h>
#include <spdlog/logger.h>

#include <memory>

namespace switchboard {

// {"time":"2024-05-01T09:00:00.123Z","level":"info","logger":"switchboard","message":"..."}
// per line; the message is JSON-escaped, invalid UTF-8 replaced.
class JsonLogFormatter final : public spdlog::formatter {
public:
    void format(const spdlog::details::log_msg& msg, spdlog::memory_buf_t& dest) override;
    std::unique_ptr<spdlog::formatter> clone() const override;
};

spdlog::level::level_enum to_spdlog_level(LogLevel level) noexcept;

// Builds the "switchboard" logger on stderr as `config` says and makes it spdlog's default.
std::shared_ptr<spdlog::logger> setup_logging(const LogConfig& config);

} // namespace switchboard
