#include "core/config/environment.hpp"

#include <cstdlib>

namespace switchboard {

std::optional<std::string> ProcessEnvironment::get(const std::string& name) const {
    // std::getenv is safe here: the host never calls setenv after start-up.
    const char* value = std::getenv(name.c_str()); // NOLINT(concurrency-mt-unsafe)
    if (value == nullptr) {
        return std::nullopt;
    }
    return std::string(value);
}

std::optional<std::string> MapEnvironment::get(const std::string& name) const {
    auto it = values_.find(name);
    if (it == values_.end()) {
        return std::nullopt;
    }
    return it->second;
}

} // namespace switchboard
