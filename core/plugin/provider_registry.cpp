#include "core/plugin/provider_registry.hpp"

#include "core/plugin/isolated/isolated_plugin.hpp"
#include "core/plugin/moved_base_url.hpp"

#include <spdlog/spdlog.h>

namespace switchboard::plugin {

const std::filesystem::path& ProviderEntry::file() const noexcept {
    static const std::filesystem::path none;
    if (library) {
        return library->file();
    }
    return isolated ? isolated->file() : none;
}

Result<void> ProviderRegistry::add(ProviderEntry entry) {
    if (!entry.descriptor || (!entry.library && !entry.isolated)) {
        return Error(ErrorKind::internal, "invalid_provider_entry",
                     "a provider entry needs a descriptor and its library");
    }
    const std::string& id = entry.descriptor->id;
    auto it = entries_.find(id);
    if (it != entries_.end()) {
        return Error(ErrorKind::conflict, "duplicate_provider",
                     "duplicate provider id '" + id + "': " + entry.file().string() +
                         " provides it, but " + it->second.file().string() + " already does");
    }
    entries_.emplace(id, std::move(entry));
    return {};
}

const ProviderEntry* ProviderRegistry::find(std::string_view provider_id) const {
    auto it = entries_.find(provider_id);
    return it == entries_.end() ? nullptr : &it->second;
}

std::vector<const ProviderEntry*> ProviderRegistry::list() const {
    std::vector<const ProviderEntry*> out;
    out.reserve(entries_.size());
    for (const auto& [id, entry] : entries_) {
        (void)id;
        out.push_back(&entry);
    }
    return out;
}

ProviderDescriptor apply_overrides(ProviderDescriptor d, const config::ProviderOverrides& o) {
    if (o.api_base_url) {
        const std::string original = d.api_base_url;
        d.api_base_url = *o.api_base_url;
        while (d.api_base_url.size() > 1 && d.api_base_url.back() == '/') {
            d.api_base_url.pop_back();
        }
        std::vector<std::string> allowed;
        for (const auto& base : d.allowed_base_urls) {
            if (auto moved = moved_base_url(base, original, d.api_base_url)) {
                allowed.push_back(std::move(*moved));
            } else {
                spdlog::info("provider {}: the proxy will not reach {}: overrides.api_base_url "
                             "moved the API elsewhere",
                             d.id, base);
            }
        }
        d.allowed_base_urls = allowed.empty() ? std::vector<std::string>{d.api_base_url}
                                              : std::move(allowed);
        if (d.access_token) {
            if (auto moved = moved_base_url(d.access_token->identity_url, original,
                                            d.api_base_url)) {
                d.access_token->identity_url = std::move(*moved);
            } else {
                spdlog::info("provider {}: access tokens are still checked at {}: "
                             "overrides.api_base_url cannot move it",
                             d.id, d.access_token->identity_url);
            }
        }
    }
    if (o.authorize_url) {
        d.oauth.authorize_url = *o.authorize_url;
    }
    if (o.token_url) {
        d.oauth.token_url = *o.token_url;
    }
    if (o.revoke_url) {
        d.oauth.revoke_url = *o.revoke_url;
    }
    if (o.identity_url) {
        d.oauth.identity_url = *o.identity_url;
    }
    return d;
}

std::map<std::string, config::ProviderRateLimits> policy_rate_limits(
    const ProviderRegistry& registry) {
    std::map<std::string, config::ProviderRateLimits> out;
    for (const ProviderEntry* entry : registry.list()) {
        const config::ProviderRateLimits& limits = entry->descriptor->policy.default_rate_limits;
        if (limits.provider || limits.tenant) out.emplace(entry->descriptor->id, limits);
    }
    return out;
}

} // namespace switchboard::plugin
