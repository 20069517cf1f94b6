#include "core/connectors/provider_directory.hpp"

namespace switchboard::connectors {

ProviderDirectory::ProviderDirectory(const plugin::ProviderRegistry& registry,
                                     const config::Environment& environment) {
    for (const plugin::ProviderEntry* entry : registry.list()) {
        if (!entry->config.enabled || !entry->descriptor) continue;
        ProviderAccess access;
        access.descriptor = entry->descriptor;
        access.config = entry->config;
        auto credentials = oauth::read_client_credentials(entry->config, environment);
        if (credentials) {
            access.credentials = std::move(*credentials);
        } else {
            access.missing = credentials.error().message;
        }
        providers_.emplace(entry->descriptor->id, std::move(access));
    }
}

const ProviderAccess* ProviderDirectory::find(std::string_view provider_id) const {
    auto it = providers_.find(provider_id);
    return it == providers_.end() ? nullptr : &it->second;
}

Result<const ProviderAccess*> ProviderDirectory::configured(std::string_view provider_id) const {
    const ProviderAccess* access = find(provider_id);
    if (access == nullptr) {
        return Error(ErrorKind::not_found, "provider_not_found",
                     "provider '" + std::string(provider_id) + "' is not enabled on this host",
                     "provider");
    }
    if (!access->credentials) {
        return Error(ErrorKind::unavailable, "provider_not_configured",
                     "provider '" + access->id() + "' has no OAuth client configured: " +
                         access->missing);
    }
    return access;
}

std::vector<const ProviderAccess*> ProviderDirectory::list() const {
    std::vector<const ProviderAccess*> out;
    for (const auto& [id, access] : providers_) {
        (void)id;
        out.push_back(&access);
    }
    return out;
}

} // namespace switchboard::connectors
