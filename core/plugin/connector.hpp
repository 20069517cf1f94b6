// A connector as the rest of the host uses it: bound to one provider, tenant and connector
// id, able to run the provider's actions. Small enough to fake in route tests.
#pragma once

#include "core/plugin/call_context.hpp"
#include "core/plugin/provider_descriptor.hpp"

#include <nlohmann/json_fwd.hpp>
#include <switchboard/plugin.h>

#include <memory>
#include <string>
#include <string_view>

namespace switchboard {

// What an invocation produced. `json` is the result on SB_STATUS_OK, otherwise an error
// object {"code", "message"[, "field"][, "details"]} valid against common.schema.json#Error.
struct InvokeOutcome {
    sb_status status = SB_STATUS_INTERNAL;
    std::string json;
    // True when the host wrote `json` itself: the request was refused before the plugin ran
    // (unknown action, invalid params) or the plugin broke the ABI (then status is INTERNAL).
    bool from_host = false;
    // On SB_STATUS_OK from a connector that parsed `json` to check it (a PluginConnector
    // does), the parsed value, so that no caller parses the result again; may be null.
    std::shared_ptr<nlohmann::json> parsed;

    bool ok() const noexcept { return status == SB_STATUS_OK; }
};

class Connector {
public:
    virtual ~Connector() = default;

    // The provider with the config's overrides applied.
    virtual const ProviderDescriptor& provider() const noexcept = 0;
    virtual const std::string& tenant_id() const noexcept = 0;
    virtual const std::string& connector_id() const noexcept = 0;

    // Runs `action` with `params_json`. Checked: an action the provider does not declare is
    // SB_STATUS_UNSUPPORTED and params that are not JSON or break the action's schema are
    // SB_STATUS_INVALID_INPUT (the error's "field" is the JSON Pointer at fault), both without
    // calling the plugin; a result that breaks the action's result schema is
    // SB_STATUS_INTERNAL. `context` serves the plugin's HTTP requests during the call.
    // [thread-safe]: a connector may be invoked from several threads at once.
    virtual InvokeOutcome invoke(std::string_view action, std::string_view params_json,
                                 CallContext& context) = 0;
};

} // namespace switchboard
