// Reading one JSON object of the config file with errors that name the key path
// (`server.port: must be an integer between 0 and 65535`). Internal to core/config: the
// section parsers throw ConfigError, and load_config() turns it into an Error value, so no
// exception leaves the module.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <filesystem>
#include <initializer_list>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace switchboard::config::detail {

class ConfigError : public std::runtime_error {
public:
    ConfigError(std::string key_path, std::string problem);
    const std::string& key_path() const noexcept { return key_path_; }
    const std::string& problem() const noexcept { return problem_; }
    // "<key path>: <problem>" whole (what() is a C string, cut at a NUL).
    std::string message() const;

private:
    std::string key_path_;
    std::string problem_;
};

// A JSON object at a dotted key path. Constructing it checks that the value is an object and
// holds only `known` keys, so a misspelt key is reported before any value is read.
class ConfigSection {
public:
    ConfigSection(const nlohmann::json& value, std::string path,
                  std::initializer_list<std::string_view> known);

    // A section whose keys are names chosen by the user (e.g. `providers`).
    static ConfigSection with_any_keys(const nlohmann::json& value, std::string path);

    const std::string& path() const noexcept { return path_; }
    std::string path_of(std::string_view key) const;
    bool has(std::string_view key) const;
    const nlohmann::json* value(std::string_view key) const; // nullptr when absent
    const nlohmann::json& json() const noexcept { return *value_; }

    // Each reader returns nullopt when the key is absent and throws ConfigError naming the
    // key path when the value is not acceptable.
    std::optional<std::string> string(std::string_view key) const; // non-empty
    std::optional<std::string> choice(std::string_view key,
                                      std::initializer_list<std::string_view> allowed) const;
    std::optional<bool> boolean(std::string_view key) const;
    std::optional<std::int64_t> integer(std::string_view key, std::int64_t min,
                                        std::int64_t max) const;
    std::optional<std::vector<std::string>> strings(std::string_view key) const; // non-empty items
    // The name of an environment variable ([A-Z_][A-Z0-9_]*).
    std::optional<std::string> env_name(std::string_view key) const;
    // A file-system path; relative paths are resolved against `base_dir`.
    std::optional<std::filesystem::path> file_path(std::string_view key,
                                                   const std::filesystem::path& base_dir) const;
    // An absolute http or https URL with a host, returned without a trailing slash.
    // `placeholders` (e.g. "{token}") may appear in it and are checked as if they were text.
    std::optional<std::string> http_url(std::string_view key,
                                        std::initializer_list<std::string_view> placeholders = {})
        const;
    // An http_url() that is https, or plain http only to a loopback
    // host (a local receiver or a test), for what the host itself calls.
    std::optional<std::string> secure_url(std::string_view key) const;
    std::optional<ConfigSection> section(std::string_view key,
                                         std::initializer_list<std::string_view> known) const;

    template <class T>
    std::optional<T> integer_as(std::string_view key, T min, T max) const {
        auto v = integer(key, static_cast<std::int64_t>(min), static_cast<std::int64_t>(max));
        if (!v) {
            return std::nullopt;
        }
        return static_cast<T>(*v);
    }

    [[noreturn]] void fail(std::string_view key, std::string problem) const;
    [[noreturn]] void fail_here(std::string problem) const;

private:
    ConfigSection(const nlohmann::json& value, std::string path);

    const nlohmann::json* value_;
    std::string path_;
};

// Validates a URL given elsewhere (e.g. an environment override); returns the problem, or
// nullopt when `url` is an absolute http(s) URL with a host.
std::optional<std::string> http_url_problem(std::string_view url);

// True for a valid environment variable name.
bool is_env_name(std::string_view name) noexcept;

} // namespace switchboard::config::detail
