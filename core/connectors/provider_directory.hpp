// ProviderDirectory: the enabled providers as the services use them — the descriptor (config
// overrides applied), the provider's config, and its OAuth client credentials, read once
// from the environment at start-up. Immutable afterwards, so it is shared between threads.
#pragma once

#include "core/common/error.hpp"
#include "core/config/environment.hpp"
#include "core/oauth/client_credentials.hpp"
#include "core/plugin/provider_registry.hpp"

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace switchboard::connectors {

struct ProviderAccess {
    std::shared_ptr<const plugin::ProviderDescriptor> descriptor;
    config::ProviderConfig config;
    // Both client credentials, or nullopt (then `missing` says which variable is not set).
    std::optional<oauth::ClientCredentials> credentials;
    std::string missing;

    const std::string& id() const noexcept { return descriptor->id; }
};

class ProviderDirectory {
public:
    // Every provider of `registry` whose config enables it, with its credentials from
    // `environment` (read now; the Environment need not outlive the directory).
    ProviderDirectory(const plugin::ProviderRegistry& registry,
                      const config::Environment& environment);

    // nullptr for an id that is not registered or not enabled.
    const ProviderAccess* find(std::string_view provider_id) const;

    // Errors: not_found / `provider_not_found`; unavailable / `provider_not_configured`
    // (the message names the missing variable).
    Result<const ProviderAccess*> configured(std::string_view provider_id) const;

    // Sorted by id.
    std::vector<const ProviderAccess*> list() const;

private:
    std::map<std::string, ProviderAccess, std::less<>> providers_;
};

} // namespace switchboard::connectors
