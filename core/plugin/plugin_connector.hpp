// The Connector backed by a plugin's sb_connector. It keeps the plugin's library alive, so
// deinit runs only after the last connector is destroyed, and it checks that every invoke
// wrote exactly what the ABI says.
#pragma once

#include "core/common/error.hpp"
#include "core/plugin/connector.hpp"
#include "core/plugin/contract_catalog.hpp"
#include "core/plugin/provider_registry.hpp"

#include <cstddef>
#include <memory>

namespace switchboard {

// Caps on what a plugin may write into the result and error sinks of one invoke.
struct OutputLimits {
    std::size_t max_result_bytes = 32u * 1024 * 1024;
    std::size_t max_error_bytes = 64u * 1024;
};

class PluginConnector final : public Connector {
public:
    // Calls the plugin's create_connector. `catalog` must outlive the connector. Errors:
    // the plugin's status mapped to an ErrorKind (code `connector_create_failed`), or
    // internal when it returned OK without a connector or threw.
    static Result<std::unique_ptr<PluginConnector>> create(const ProviderEntry& entry,
                                                           const ContractCatalog& catalog,
                                                           std::string tenant_id,
                                                           std::string connector_id,
                                                           OutputLimits limits = {});

    // Calls destroy_connector, then drops this connector's hold on the library.
    ~PluginConnector() override;
    PluginConnector(const PluginConnector&) = delete;
    PluginConnector& operator=(const PluginConnector&) = delete;

    const ProviderDescriptor& provider() const noexcept override { return *descriptor_; }
    const std::string& tenant_id() const noexcept override { return tenant_id_; }
    const std::string& connector_id() const noexcept override { return connector_id_; }

    InvokeOutcome invoke(std::string_view action, std::string_view params_json,
                         CallContext& context) override;

    // Hands `params_bytes` to the plugin exactly as given, with no contract check before
    // (conformance testing sends invalid params on purpose), and checks afterwards that the
    // plugin wrote exactly what the ABI says: a known status; on OK one JSON value in result
    // and nothing in error; otherwise nothing in result and an error object valid against
    // common.schema.json#Error; no sink overflow; no exception. Anything else becomes
    // SB_STATUS_INTERNAL with from_host set and code `plugin_contract_violation`.
    // `http_requests`, when given, receives how many HTTP requests the plugin attempted.
    InvokeOutcome invoke_raw(std::string_view action, std::string_view params_bytes,
                             CallContext& context, std::size_t* http_requests = nullptr);

private:
    PluginConnector(const ProviderEntry& entry, const ContractCatalog& catalog,
                    std::string tenant_id, std::string connector_id, OutputLimits limits);

    std::shared_ptr<PluginLibrary> library_; // first: released last
    std::shared_ptr<const ProviderDescriptor> descriptor_;
    const ContractCatalog* catalog_;
    std::string tenant_id_;
    std::string connector_id_;
    OutputLimits limits_;
    sb_connector* handle_ = nullptr;
};

} // namespace switchboard
