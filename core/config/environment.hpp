// Where configuration reads environment variables from, and secrets from the files
// `<VARIABLE>_FILE` names. Injectable so that tests (and the
// config loader's overrides such as API_BASE_URL) never depend on the real process
// environment.
#pragma once

#include "core/common/error.hpp"

#include <cstddef>
#include <map>
#include <optional>
#include <string>

namespace switchboard::config {

class Environment {
public:
    virtual ~Environment() = default;

    // The value of variable `name`, or nullopt when it is not set. An empty value is a value.
    virtual std::optional<std::string> get(const std::string& name) const = 0;
};

// The real process environment (std::getenv).
class ProcessEnvironment final : public Environment {
public:
    std::optional<std::string> get(const std::string& name) const override;
};

// A fixed set of variables, for tests and for tools that must ignore the process environment.
class MapEnvironment final : public Environment {
public:
    MapEnvironment() = default;
    explicit MapEnvironment(std::map<std::string, std::string> values) : values_(std::move(values)) {}

    void set(std::string name, std::string value) { values_[std::move(name)] = std::move(value); }
    std::optional<std::string> get(const std::string& name) const override;

private:
    std::map<std::string, std::string> values_;
};

// A secret variable `name`, as the host reads every one (encryption keys, client secrets,
// passwords, signing secrets): either `name` itself, or the content of the file that
// `name`_FILE names, the way Docker and Kubernetes mount secrets (trailing newlines removed).
// nullopt when neither is set. Errors (kind invalid_input; the message names the variables
// and the path, never a value; `field` = `name`):
//   secret_variable_conflict  both `name` and `name`_FILE are set;
//   secret_file_unsafe        the file is writable by its group or by others, who could
//                             replace the secret (read access is accepted: containers
//                             mount secrets 0444 or 0644): chmod 600 it;
//   secret_file_unreadable    the file is missing, not a regular file, unreadable, or
//                             larger than max_secret_file_bytes.
inline constexpr std::size_t max_secret_file_bytes = 64 * 1024;
Result<std::optional<std::string>> read_secret(const Environment& environment,
                                               const std::string& name);

} // namespace switchboard::config
