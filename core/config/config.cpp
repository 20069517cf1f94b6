#include "core/config/config.hpp"

#include <cctype>

namespace switchboard::config {

bool Config::provider_enabled(const std::string& provider_id) const {
    auto it = providers.find(provider_id);
    return it != providers.end() && it->second.enabled;
}

std::string default_credential_prefix(std::string_view provider_id) {
    const std::string_view first_part = provider_id.substr(0, provider_id.find('_'));
    // A variable's name starts with a letter, and an empty first part ("_crm", "_mail") would
    // give every such provider the same variables: name those ids whole.
    const bool letter_first =
        !first_part.empty() && first_part.front() >= 'a' && first_part.front() <= 'z';
    std::string prefix =
        letter_first ? std::string(first_part) : "provider_" + std::string(provider_id);
    for (char& c : prefix) {
        c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    }
    return prefix;
}

std::string_view to_string(LogFormat format) noexcept {
    switch (format) {
    case LogFormat::text: return "text";
    case LogFormat::json: return "json";
    }
    return "text";
}

std::string_view to_string(LogLevel level) noexcept {
    switch (level) {
    case LogLevel::trace: return "trace";
    case LogLevel::debug: return "debug";
    case LogLevel::info: return "info";
    case LogLevel::warning: return "warning";
    case LogLevel::error: return "error";
    case LogLevel::critical: return "critical";
    case LogLevel::off: return "off";
    }
    return "info";
}

std::string_view to_string(DatabaseBackend backend) noexcept {
    return backend == DatabaseBackend::sqlite ? "sqlite" : "postgresql";
}

std::string_view to_string(StateStoreBackend backend) noexcept {
    return backend == StateStoreBackend::sql ? "sql" : "redis";
}

std::string_view to_string(ConnectConfirmation confirmation) noexcept {
    return confirmation == ConnectConfirmation::required ? "required" : "immediate";
}

std::string_view to_string(RateLimitBackend backend) noexcept {
    return backend == RateLimitBackend::local ? "local" : "redis";
}

std::string_view to_string(PluginMode mode) noexcept {
    return mode == PluginMode::isolated ? "isolated" : "in_process";
}

std::string library_file_name(const std::string& provider_id, const ProviderConfig& config) {
    return config.library.empty() ? provider_id + ".so" : config.library;
}

} // namespace switchboard::config
