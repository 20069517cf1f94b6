// One sb_plugin.invoke, exactly as the ABI describes it: the host's size-capped result and
// error sinks, the call's sb_call, and whatever the plugin did recorded unchecked. The
// in-process connector and the plugin-host child both call it; the checks come after
// (invocation_checks.hpp).
#pragma once

#include "core/plugin/call_scope.hpp"
#include "core/plugin/invocation_checks.hpp"
#include "core/plugin/plugin_library.hpp"

#include <switchboard/plugin.h>

#include <string_view>

namespace switchboard::plugin {

// Calls `library`'s invoke on `connector` within `scope` (whose sb_call the plugin gets),
// with `params` handed over byte for byte. Closes `scope` afterwards, so the plugin's later
// sb_host.http calls on it are refused. Never throws; an exception from the plugin is
// recorded in `thrown`.
RawInvocation run_plugin_invoke(const PluginLibrary& library, sb_connector* connector,
                               CallScope& scope, std::string_view action, std::string_view params,
                               const OutputLimits& limits) noexcept;

} // namespace switchboard::plugin
