// The Connector of a provider in isolated mode: the same contract checks as the in-process
// PluginConnector before and after each call, with the call itself run by a plugin-host
// child of the provider's IsolatedPlugin. The plugin's own connector lives only for the call
// (the child creates and destroys it around the invoke), so creating this one costs nothing
// and a create_connector failure shows up as the call's error.
#pragma once

#include "core/plugin/connector.hpp"
#include "core/plugin/contract_catalog.hpp"
#include "core/plugin/invocation_checks.hpp"
#include "core/plugin/isolated/isolated_plugin.hpp"

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>

namespace switchboard::plugin::isolated {

class IsolatedConnector final : public Connector {
public:
    // `catalog` must outlive the connector.
    IsolatedConnector(std::shared_ptr<IsolatedPlugin> plugin,
                      std::shared_ptr<const ProviderDescriptor> descriptor,
                      const ContractCatalog& catalog, std::string tenant_id,
                      std::string connector_id, OutputLimits limits,
                      std::chrono::milliseconds call_timeout);

    const ProviderDescriptor& provider() const noexcept override { return *descriptor_; }
    const std::string& tenant_id() const noexcept override { return tenant_id_; }
    const std::string& connector_id() const noexcept override { return connector_id_; }
    config::PluginMode mode() const noexcept override { return config::PluginMode::isolated; }

    InvokeOutcome invoke(std::string_view action, std::string_view params_json,
                         CallContext& context) override;

    // As PluginConnector::invoke_raw: no contract check before, the ABI checks after.
    InvokeOutcome invoke_raw(std::string_view action, std::string_view params_bytes,
                             CallContext& context, std::size_t* http_requests = nullptr);

private:
    std::shared_ptr<IsolatedPlugin> plugin_;
    std::shared_ptr<const ProviderDescriptor> descriptor_;
    const ContractCatalog* catalog_;
    std::string tenant_id_;
    std::string connector_id_;
    OutputLimits limits_;
    std::chrono::milliseconds call_timeout_;
    InvocationSource source_;
};

} // namespace switchboard::plugin::isolated
