// The host's checks around one plugin call, the same whichever way the plugin runs (in the
// host's process or in a plugin-host child): before it, the action and params against the
// provider's contract; after it, what the plugin wrote against the ABI, then the result
// against the contract. Also the outcomes the host writes when the plugin did not answer.
#pragma once

#include "core/plugin/connector.hpp"
#include "core/plugin/contract_catalog.hpp"
#include "core/plugin/provider_descriptor.hpp"

#include <spdlog/logger.h>
#include <switchboard/plugin.h>

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace switchboard::plugin {

// Caps on what a plugin may write into the result and error sinks of one invoke.
struct OutputLimits {
    std::size_t max_result_bytes = 32u * 1024 * 1024;
    std::size_t max_error_bytes = 64u * 1024;
};

// What one sb_plugin.invoke did, before any check.
struct RawInvocation {
    sb_status status = SB_STATUS_INTERNAL;
    std::string result;
    std::string error;
    bool result_overflowed = false; // the plugin tried to write past OutputLimits
    bool error_overflowed = false;
    std::string thrown;             // why invoke threw; "" when it returned
    std::size_t http_requests = 0;  // sb_host.http calls it made (performed or refused)
};

// Who ran a RawInvocation, for messages and for the status rules of its ABI.
struct InvocationSource {
    std::string plugin;      // the library's file name, e.g. "hubspot.so"
    std::string provider_id;
    sb_abi_version abi{};    // the ABI the plugin was built against
};

// nullopt when `action` with `params_json` may run; otherwise the host's refusal:
// SB_STATUS_UNSUPPORTED / `unsupported_action` for an action the provider does not
// declare, SB_STATUS_INVALID_INPUT / `invalid_json` or `invalid_params` (with the field).
std::optional<InvokeOutcome> check_call_input(const ProviderDescriptor& provider,
                                              std::string_view action,
                                              std::string_view params_json,
                                              const ContractCatalog& catalog);

// What the plugin wrote, checked as the ABI says: a status its ABI (and this host's)
// defines; on OK one JSON value in result and nothing in error; otherwise nothing in result
// and an error object valid against common.schema.json#Error; no sink overflow; no
// exception. Anything else becomes SB_STATUS_INTERNAL, from_host, fault contract_violation,
// code `plugin_contract_violation` (or `plugin_output_too_large`), logged on `logger`.
InvokeOutcome check_invocation(RawInvocation raw, const InvocationSource& source,
                               std::string_view action, const OutputLimits& limits,
                               const ContractCatalog& catalog, spdlog::logger& logger);

// A successful `outcome` whose result breaks the action's result schema becomes
// SB_STATUS_INTERNAL / `plugin_bad_result` (logged); any other outcome is returned as is.
InvokeOutcome check_call_result(InvokeOutcome outcome, const ProviderDescriptor& provider,
                                std::string_view action, const InvocationSource& source,
                                const ContractCatalog& catalog, spdlog::logger& logger);

// The host's outcome when the plugin missed the call's deadline: error kind timeout (504),
// code `plugin_timeout`, fault timeout. `what` says what the host did about it.
InvokeOutcome timeout_outcome(std::string_view provider_id, std::string_view action,
                              std::chrono::milliseconds budget, std::string_view what);

// The host's outcome when the plugin cannot take the call: SB_STATUS_UNAVAILABLE (503) with
// `code`, fault unavailable, and details.retry_after_seconds when given.
InvokeOutcome unavailable_outcome(std::string_view code, std::string_view message,
                                  std::optional<int> retry_after_seconds);

// An error outcome the host writes: `status`, {"code", "message"[, "field"]}, from_host.
InvokeOutcome host_outcome(sb_status status, std::string_view code, std::string_view message,
                           std::string_view field = {});

} // namespace switchboard::plugin
