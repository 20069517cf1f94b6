// Creating connectors by provider id. The REST routes depend on the ConnectorFactory
// interface; RegistryConnectorFactory is the implementation backed by the loaded plugins.
#pragma once

#include "core/common/error.hpp"
#include "core/plugin/connector.hpp"
#include "core/plugin/contract_catalog.hpp"
#include "core/plugin/plugin_connector.hpp"
#include "core/plugin/provider_registry.hpp"

#include <memory>
#include <string_view>

namespace switchboard::plugin {

class ConnectorFactory {
public:
    virtual ~ConnectorFactory() = default;

    // A connector of `provider_id` bound to `tenant_id` and `connector_id`: a
    // PluginConnector in in-process mode, an IsolatedConnector in isolated mode. Errors:
    // not_found/`provider_not_found` for an id no enabled plugin provides; the plugin's
    // failure otherwise (see PluginConnector::create). [thread-safe]
    virtual Result<std::unique_ptr<Connector>> create(std::string_view provider_id,
                                                      std::string_view tenant_id,
                                                      std::string_view connector_id) const = 0;
};

class RegistryConnectorFactory final : public ConnectorFactory {
public:
    // Shares ownership of the registry; connectors it creates keep their library alive on
    // their own, so they may outlive both the factory and the registry. `catalog` must
    // outlive every connector (the embedded catalog lives for the whole process).
    RegistryConnectorFactory(std::shared_ptr<const ProviderRegistry> registry,
                             const ContractCatalog& catalog, OutputLimits limits = {});

    Result<std::unique_ptr<Connector>> create(std::string_view provider_id,
                                              std::string_view tenant_id,
                                              std::string_view connector_id) const override;

    const ProviderRegistry& registry() const noexcept { return *registry_; }

private:
    std::shared_ptr<const ProviderRegistry> registry_;
    const ContractCatalog* catalog_;
    OutputLimits limits_;
};

} // namespace switchboard::plugin
