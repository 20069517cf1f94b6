// The Connector backed by a plugin loaded into the host (in-process mode). It keeps the
// plugin's library alive, so deinit runs only after the last connector is destroyed; it runs
// every invoke on a thread of its own bounded by the provider's call timeout (see
// call_thread.hpp), and checks that every invoke wrote exactly what the ABI says.
#pragma once

#include "core/common/error.hpp"
#include "core/plugin/connector.hpp"
#include "core/plugin/contract_catalog.hpp"
#include "core/plugin/invocation_checks.hpp"
#include "core/plugin/provider_registry.hpp"

#include <chrono>
#include <cstddef>
#include <memory>

namespace switchboard::plugin {

// In-process calls of one library that may be stuck (abandoned at their deadline, their
// thread still inside the plugin) before its providers refuse further calls with 503
// `plugin_unresponsive`: each stuck call holds a thread for good.
inline constexpr std::size_t kMaxStuckCallsPerLibrary = 8;

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

    // Drops this connector's hold on the plugin's connector: destroy_connector runs now, or,
    // when an abandoned call still runs in it, once that call returns.
    ~PluginConnector() override;
    PluginConnector(const PluginConnector&) = delete;
    PluginConnector& operator=(const PluginConnector&) = delete;

    const ProviderDescriptor& provider() const noexcept override;
    const std::string& tenant_id() const noexcept override;
    const std::string& connector_id() const noexcept override;
    config::PluginMode mode() const noexcept override { return config::PluginMode::in_process; }

    InvokeOutcome invoke(std::string_view action, std::string_view params_json,
                         CallContext& context) override;

    // Hands `params_bytes` to the plugin exactly as given, with no contract check before
    // (conformance testing sends invalid params on purpose), bounded by the call timeout like
    // invoke, and checks afterwards what the plugin wrote (check_invocation).
    // `http_requests`, when given, receives how many HTTP requests the plugin attempted.
    InvokeOutcome invoke_raw(std::string_view action, std::string_view params_bytes,
                             CallContext& context, std::size_t* http_requests = nullptr);

    struct Live; // what a call's thread shares with the connector (defined in the .cpp)

private:
    PluginConnector(std::shared_ptr<Live> live, const ContractCatalog& catalog,
                    OutputLimits limits, std::chrono::milliseconds call_timeout);

    std::shared_ptr<Live> live_;
    const ContractCatalog* catalog_;
    OutputLimits limits_;
    std::chrono::milliseconds call_timeout_;
};

} // namespace switchboard::plugin
