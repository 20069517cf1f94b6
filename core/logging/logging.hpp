// Process-wide logging set-up: spdlog with either JSON lines (one valid JSON object per line,
// for log shippers) or human-readable text, plus per-thread structured fields (request id,
// access-log fields) that every line logged on that thread carries while they are in scope.
#pragma once

#include "core/common/error.hpp"

#include <nlohmann/json.hpp>
#include <spdlog/formatter.h>
#include <spdlog/logger.h>
#include <spdlog/sinks/sink.h>

#include <initializer_list>
#include <memory>
#include <string>
#include <string_view>
#include <utility>

namespace switchboard::logging {

enum class Format {
    json, // {"time":"...","level":"info","logger":"switchboard","message":"...",<fields>}
    text, // [2025-01-01 12:00:00.000] [info] message key=value ...
};

struct LoggingOptions {
    Format format = Format::json;
    spdlog::level::level_enum level = spdlog::level::info;
};

// "json" or "text"; anything else is invalid_input naming the value.
Result<Format> parse_format(std::string_view name);

// spdlog's level names: trace, debug, info, warn (or warning), error, critical, off.
Result<spdlog::level::level_enum> parse_level(std::string_view name);

// A formatter for `format`. The JSON one escapes everything through nlohmann::json and
// replaces invalid UTF-8, so every line parses whatever the message contains.
std::unique_ptr<spdlog::formatter> make_formatter(Format format);

// Installs a synchronous logger named "switchboard" as spdlog's default logger, writing to
// `sink` (stderr when null, so that command output on stdout stays clean) with the formatter
// and level of `options`. Returns the logger. The structured fields below rely on the logger
// being synchronous: they are read on the thread that logs.
std::shared_ptr<spdlog::logger> setup_logging(const LoggingOptions& options,
                                              spdlog::sink_ptr sink = nullptr);

// Adds key/value fields to every line logged by the current thread until destroyed. Scopes
// nest (LIFO); a key that repeats an outer one shadows it for this scope. Keys that collide
// with the line's own keys (time, level, logger, message) are ignored.
//
//   LogFields scope{{"request_id", id}};
//   spdlog::info("handler started");   // carries request_id
class LogFields {
public:
    LogFields(std::initializer_list<std::pair<std::string_view, nlohmann::json>> fields);
    ~LogFields();

    LogFields(const LogFields&) = delete;
    LogFields& operator=(const LogFields&) = delete;

private:
    std::size_t previous_size_;
};

} // namespace switchboard::logging
