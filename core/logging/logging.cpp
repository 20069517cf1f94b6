#include "core/logging/logging.hpp"

#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <array>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <vector>

namespace switchboard::logging {
namespace {

using Field = std::pair<std::string, nlohmann::json>;

// The fields of the LogFields scopes alive on this thread, outermost first.
std::vector<Field>& thread_fields() {
    thread_local std::vector<Field> fields;
    return fields;
}

bool is_reserved_key(std::string_view key) {
    return key == "time" || key == "level" || key == "logger" || key == "message";
}

std::string_view level_name(spdlog::level::level_enum level) {
    const auto& name = spdlog::level::to_string_view(level);
    return {name.data(), name.size()};
}

// RFC 3339 in UTC with milliseconds: what log shippers parse without configuration.
std::string utc_timestamp(spdlog::log_clock::time_point time) {
    const auto since_epoch = time.time_since_epoch();
    const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(since_epoch);
    const auto millis =
        std::chrono::duration_cast<std::chrono::milliseconds>(since_epoch - seconds).count();
    const std::time_t t = static_cast<std::time_t>(seconds.count());
    std::tm tm{};
    gmtime_r(&t, &tm);
    std::array<char, 32> buffer{};
    const int n = std::snprintf(buffer.data(), buffer.size(), "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ",
                                tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
                                tm.tm_min, tm.tm_sec, static_cast<int>(millis));
    return {buffer.data(), n > 0 ? static_cast<std::size_t>(n) : 0};
}

std::string dump(const nlohmann::ordered_json& value) {
    return value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

void append(spdlog::memory_buf_t& dest, std::string_view text) {
    dest.append(text.data(), text.data() + text.size());
}

class JsonFormatter final : public spdlog::formatter {
public:
    void format(const spdlog::details::log_msg& msg, spdlog::memory_buf_t& dest) override {
        nlohmann::ordered_json line;
        line["time"] = utc_timestamp(msg.time);
        line["level"] = level_name(msg.level);
        line["logger"] = std::string(msg.logger_name.data(), msg.logger_name.size());
        line["message"] = std::string(msg.payload.data(), msg.payload.size());
        for (const auto& [key, value] : thread_fields()) {
            if (!is_reserved_key(key)) {
                line[key] = value;
            }
        }
        append(dest, dump(line));
        append(dest, "\n");
    }

    std::unique_ptr<spdlog::formatter> clone() const override {
        return std::make_unique<JsonFormatter>();
    }
};

// A string value is printed bare when that is unambiguous, quoted JSON-style otherwise.
std::string text_value(const nlohmann::json& value) {
    if (!value.is_string()) {
        return value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    }
    const auto& s = value.get_ref<const std::string&>();
    bool bare = !s.empty();
    for (const char c : s) {
        const auto u = static_cast<unsigned char>(c);
        if (u <= 0x20 || u == 0x7f || c == '"' || c == '=' || c == '\\') {
            bare = false;
            break;
        }
    }
    return bare ? s : value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

class TextFormatter final : public spdlog::formatter {
public:
    TextFormatter()
        : prefix_("[%Y-%m-%d %H:%M:%S.%e] [%l] %v", spdlog::pattern_time_type::utc, "") {}

    void format(const spdlog::details::log_msg& msg, spdlog::memory_buf_t& dest) override {
        prefix_.format(msg, dest);
        // Later scopes shadow earlier ones with the same key, as in the JSON form.
        const auto& fields = thread_fields();
        for (std::size_t i = 0; i < fields.size(); ++i) {
            const auto& [key, value] = fields[i];
            bool shadowed = false;
            for (std::size_t j = i + 1; j < fields.size() && !shadowed; ++j) {
                shadowed = fields[j].first == key;
            }
            if (shadowed || is_reserved_key(key)) {
                continue;
            }
            append(dest, " ");
            append(dest, key);
            append(dest, "=");
            append(dest, text_value(value));
        }
        append(dest, "\n");
    }

    std::unique_ptr<spdlog::formatter> clone() const override {
        return std::make_unique<TextFormatter>();
    }

private:
    spdlog::pattern_formatter prefix_;
};

} // namespace

Result<Format> parse_format(std::string_view name) {
    if (name == "json") {
        return Format::json;
    }
    if (name == "text") {
        return Format::text;
    }
    return Error(ErrorKind::invalid_input, "invalid_log_format",
                 "log format '" + std::string(name) + "' is not one of json, text", "format");
}

Result<spdlog::level::level_enum> parse_level(std::string_view name) {
    if (name == "warning") {
        return spdlog::level::warn;
    }
    const std::string text(name);
    const auto level = spdlog::level::from_str(text);
    // from_str answers `off` for anything it does not know; accept that only when asked.
    if (level == spdlog::level::off && text != "off") {
        return Error(ErrorKind::invalid_input, "invalid_log_level",
                     "log level '" + text +
                         "' is not one of trace, debug, info, warn, error, critical, off",
                     "level");
    }
    return level;
}

std::unique_ptr<spdlog::formatter> make_formatter(Format format) {
    if (format == Format::text) {
        return std::make_unique<TextFormatter>();
    }
    return std::make_unique<JsonFormatter>();
}

std::shared_ptr<spdlog::logger> setup_logging(const LoggingOptions& options,
                                              spdlog::sink_ptr sink) {
    if (!sink) {
        sink = std::make_shared<spdlog::sinks::stderr_sink_mt>();
    }
    auto logger = std::make_shared<spdlog::logger>("switchboard", std::move(sink));
    logger->set_formatter(make_formatter(options.format));
    logger->set_level(options.level);
    logger->flush_on(spdlog::level::warn);
    spdlog::set_default_logger(logger);
    return logger;
}

LogFields::LogFields(std::initializer_list<std::pair<std::string_view, nlohmann::json>> fields)
    : previous_size_(thread_fields().size()) {
    auto& all = thread_fields();
    for (const auto& [key, value] : fields) {
        all.emplace_back(std::string(key), value);
    }
}

LogFields::~LogFields() {
    thread_fields().resize(previous_size_);
}

} // namespace switchboard::logging
