#include "core/plugin/isolated/isolated_connector.hpp"

namespace switchboard::plugin::isolated {

IsolatedConnector::IsolatedConnector(std::shared_ptr<IsolatedPlugin> plugin,
                                     std::shared_ptr<const ProviderDescriptor> descriptor,
                                     const ContractCatalog& catalog, std::string tenant_id,
                                     std::string connector_id, OutputLimits limits,
                                     std::chrono::milliseconds call_timeout)
    : plugin_(std::move(plugin)), descriptor_(std::move(descriptor)), catalog_(&catalog),
      tenant_id_(std::move(tenant_id)), connector_id_(std::move(connector_id)), limits_(limits),
      call_timeout_(call_timeout),
      source_{plugin_->file().filename().string(), descriptor_->id, plugin_->abi()} {}

InvokeOutcome IsolatedConnector::invoke_raw(std::string_view action, std::string_view params_bytes,
                                            CallContext& context, std::size_t* http_requests) {
    const CallDeadline deadline = CallDeadline::after(call_timeout_, context.deadline());
    context.set_deadline(deadline.at());
    ProcessCall call{0, descriptor_->id, tenant_id_, connector_id_, std::string(action),
                     std::string(params_bytes)};
    IsolatedPlugin::CallResult result = plugin_->call(std::move(call), context, deadline);
    if (!result.raw) {
        return std::move(result.outcome);
    }
    if (http_requests != nullptr) {
        *http_requests = result.raw->http_requests;
    }
    return check_invocation(std::move(*result.raw), source_, action, limits_, *catalog_,
                            plugin_->logger());
}

InvokeOutcome IsolatedConnector::invoke(std::string_view action, std::string_view params_json,
                                        CallContext& context) {
    if (auto refused = check_call_input(*descriptor_, action, params_json, *catalog_)) {
        return std::move(*refused);
    }
    return check_call_result(invoke_raw(action, params_json, context), *descriptor_, action,
                             source_, *catalog_, plugin_->logger());
}

} // namespace switchboard::plugin::isolated
