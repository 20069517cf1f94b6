// The providers the host serves, by id (Envoy's registry: registered by name, a duplicate
// refused loudly). Built at start-up by PluginLoader::load_directory, read-only afterwards:
// it is not synchronised, so finish building it before sharing it between threads.
#pragma once

#include "core/common/error.hpp"
#include "core/config/config.hpp"
#include "core/plugin/plugin_library.hpp"
#include "core/plugin/provider_descriptor.hpp"

#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace switchboard::plugin {

namespace isolated {
class IsolatedPlugin;
}

struct ProviderEntry {
    // The plugin's descriptor with the config's overrides applied (the URLs the host uses).
    std::shared_ptr<const ProviderDescriptor> descriptor;
    config::ProviderConfig config;
    // In-process mode: keeps the plugin's code loaded for as long as this entry (or a copy)
    // lives.
    std::shared_ptr<PluginLibrary> library;
    // Isolated mode (instead of `library`): the plugin-host children that run the calls.
    std::shared_ptr<isolated::IsolatedPlugin> isolated = nullptr;

    // The library file behind the entry, whichever the mode.
    const std::filesystem::path& file() const noexcept;
};

class ProviderRegistry {
public:
    // Registers `entry` under its descriptor's id; it needs a descriptor and its library or
    // its isolated plugin. A second entry with the same id is refused
    // (conflict/`duplicate_provider`) with a message naming both libraries.
    Result<void> add(ProviderEntry entry);

    const ProviderEntry* find(std::string_view provider_id) const;
    // Every entry, sorted by provider id.
    std::vector<const ProviderEntry*> list() const;
    std::size_t size() const noexcept { return entries_.size(); }
    bool empty() const noexcept { return entries_.empty(); }

private:
    std::map<std::string, ProviderEntry, std::less<>> entries_;
};

// The outbound rate limits the registered providers' policies give (their published limits),
// by provider id; providers without any are left out. The config's rate_limits.providers
// entries replace these (ratelimit::rate_limit_policy).
std::map<std::string, config::ProviderRateLimits> policy_rate_limits(
    const ProviderRegistry& registry);

// The descriptor the host uses: `overrides` from the config replace the plugin's URLs; the
// allowed base URLs move with the API base
// (moved_base_url.hpp). An allowed base URL that cannot move is dropped (logged), and with
// none left the new API base alone is allowed.
ProviderDescriptor apply_overrides(ProviderDescriptor descriptor,
                                   const config::ProviderOverrides& overrides);

} // namespace switchboard::plugin
