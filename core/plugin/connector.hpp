// A connector as the rest of the host uses it: bound to one provider, tenant and connector
// id, able to run the provider's actions. Small enough to fake in route tests.
#pragma once

#include "core/common/error.hpp"
#include "core/config/config.hpp"
#include "core/plugin/call_context.hpp"
#include "core/plugin/provider_descriptor.hpp"

#include <nlohmann/json_fwd.hpp>
#include <switchboard/plugin.h>

#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace switchboard::plugin {

// What went wrong with the plugin itself (rather than with the provider or the request),
// for metrics and logs.
enum class PluginFault {
    none,
    contract_violation, // it broke the ABI or its contract (bad status, output, JSON, ...)
    timeout,            // it did not answer by the call's deadline
    crashed,            // its process died during the call (isolated mode)
    unavailable,        // it could not run the call: no process (restarting), or too many
                        // of its calls are stuck (in-process)
};

std::string_view to_string(PluginFault fault) noexcept;

// What an invocation produced. `json` is the result on SB_STATUS_OK, otherwise an error
// object {"code", "message"[, "field"][, "details"]} valid against common.schema.json#Error.
struct InvokeOutcome {
    sb_status status = SB_STATUS_INTERNAL;
    std::string json;
    // True when the host wrote `json` itself: the request was refused before the plugin ran
    // (unknown action, invalid params), the plugin broke the ABI (then status is INTERNAL),
    // or it did not answer (timeout, crash).
    bool from_host = false;
    // On SB_STATUS_OK from a connector that parsed `json` to check it (a PluginConnector
    // does), the parsed value, so that no caller parses the result again; may be null.
    std::shared_ptr<nlohmann::json> parsed;
    // The error kind the API edge must use instead of the one the status maps to, for
    // failures no sb_status names: ErrorKind::timeout (504) when the plugin missed its
    // deadline.
    std::optional<ErrorKind> error_kind;
    PluginFault fault = PluginFault::none;

    bool ok() const noexcept { return status == SB_STATUS_OK; }
};

class Connector {
public:
    virtual ~Connector() = default;

    // The provider with the config's overrides applied.
    virtual const ProviderDescriptor& provider() const noexcept = 0;
    virtual const std::string& tenant_id() const noexcept = 0;
    virtual const std::string& connector_id() const noexcept = 0;
    // Where the plugin runs: in the host's process, or in a plugin-host child.
    virtual config::PluginMode mode() const noexcept = 0;

    // Runs `action` with `params_json`. Checked: an action the provider does not declare is
    // SB_STATUS_UNSUPPORTED and params that are not JSON or break the action's schema are
    // SB_STATUS_INVALID_INPUT (the error's "field" is the JSON Pointer at fault), both without
    // calling the plugin; a result that breaks the action's result schema is
    // SB_STATUS_INTERNAL. `context` serves the plugin's HTTP requests during the call, on
    // this thread. Bounded: the call's deadline is the earlier of context.deadline() and the
    // provider's call timeout (the connector stores it in the context); at the deadline the
    // outcome is error kind timeout, code `plugin_timeout`, whatever the plugin is doing.
    // [thread-safe]: a connector may be invoked from several threads at once.
    virtual InvokeOutcome invoke(std::string_view action, std::string_view params_json,
                                 CallContext& context) = 0;
};

} // namespace switchboard::plugin
