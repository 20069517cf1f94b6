// The host's log output: one line per event on stderr, as text or as JSON objects, each with
// the structured fields in scope (core/logging/logging.hpp: the access log's method, path,
// status, request id, tenant...).
#pragma once

#include "core/config/config.hpp"

#include <spdlog/logger.h>

#include <memory>

namespace switchboard::app {

spdlog::level::level_enum to_spdlog_level(config::LogLevel level) noexcept;

// Builds the "switchboard" logger on stderr as `config` says and makes it spdlog's default:
//   json: {"time":"2024-05-01T09:00:00.123Z","level":"info","logger":"switchboard",
//          "message":"...", <fields>} per line, invalid UTF-8 replaced;
//   text: [2024-05-01 09:00:00.123] [info] message key=value ... (UTC).
std::shared_ptr<spdlog::logger> setup_logging(const config::LogConfig& config);

} // namespace switchboard::app
