#include "core/plugin/connector_factory.hpp"

#include "core/plugin/isolated/isolated_connector.hpp"

namespace switchboard::plugin {

RegistryConnectorFactory::RegistryConnectorFactory(std::shared_ptr<const ProviderRegistry> registry,
                                                   const ContractCatalog& catalog,
                                                   OutputLimits limits)
    : registry_(std::move(registry)), catalog_(&catalog), limits_(limits) {}

Result<std::unique_ptr<Connector>> RegistryConnectorFactory::create(
    std::string_view provider_id, std::string_view tenant_id,
    std::string_view connector_id) const {
    const ProviderEntry* entry = registry_->find(provider_id);
    if (entry == nullptr) {
        return Error(ErrorKind::not_found, "provider_not_found",
                     "no enabled plugin provides '" + std::string(provider_id) + "'");
    }
    if (entry->isolated) {
        return std::unique_ptr<Connector>(std::make_unique<isolated::IsolatedConnector>(
            entry->isolated, entry->descriptor, *catalog_, std::string(tenant_id),
            std::string(connector_id), limits_,
            std::chrono::milliseconds(entry->config.call_timeout_ms)));
    }
    auto connector = PluginConnector::create(*entry, *catalog_, std::string(tenant_id),
                                             std::string(connector_id), limits_);
    if (!connector) {
        return connector.error();
    }
    return std::unique_ptr<Connector>(std::move(*connector));
}

} // namespace switchboard::plugin
