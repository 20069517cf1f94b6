// Where configuration reads environment variables from. Injectable so that tests (and the
// config loader's overrides such as API_BASE_URL) never depend on the real process
// environment.
#pragma once

#include <map>
#include <optional>
#include <string>

namespace switchboard {

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

} // namespace switchboard
