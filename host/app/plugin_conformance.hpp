// The conformance check behind `switchboard plugins validate`: load one library as the host
// would, then exercise every provider's connector with params that break the contract and
// expect a clean refusal. A third party runs it before shipping a plugin.
#pragma once

#include "core/plugin/contract_catalog.hpp"
#include "core/plugin/host_services.hpp"

#include <filesystem>
#include <functional>
#include <string>
#include <vector>

namespace switchboard::app {

struct ConformanceCheck {
    std::string name;   // e.g. "test_calendar.delete_event refuses {} (required fields missing)"
    bool passed = false;
    std::string detail; // why it failed, or what was seen
};

struct ConformanceReport {
    std::vector<ConformanceCheck> checks;

    bool passed() const noexcept;
    std::size_t failures() const noexcept;
};

// One kind of bad params for an action.
struct BadParams {
    std::string label;
    std::string bytes;
};

// The bad params tried for `action` of `category` (at contract `revision`, 0: the current):
// "{}" when the action has required fields, every declared field with a value of the wrong
// type, a JSON array, non-JSON bytes and empty params. Each JSON case is one the catalog
// itself refuses.
std::vector<BadParams> bad_params_for(const plugin::ContractCatalog& catalog,
                                      const std::string& category,
                                      const plugin::ActionContract& action,
                                      std::uint32_t revision = 0);

// Checks, in order: the library loads as the host would (ABI, struct sizes, descriptors,
// actions in the category contracts, init); for each provider, a connector can be created
// (fake tenant and connector ids); for each of its actions and each bad_params_for() case,
// invoke returns SB_STATUS_INVALID_INPUT or SB_STATUS_UNSUPPORTED with an error object valid
// against common.schema.json#Error and without attempting an HTTP request (the CallContext
// records and fails every request); an unknown action returns SB_STATUS_UNSUPPORTED; finally
// connectors are destroyed and the library deinitialised and unloaded. `on_check` sees each
// check as soon as it is decided, so the output survives a plugin that crashes the process.
ConformanceReport check_plugin_conformance(
    const std::filesystem::path& file, const plugin::ContractCatalog& catalog,
    const plugin::HostServicesOptions& services,
    const std::function<void(const ConformanceCheck&)>& on_check = {});

} // namespace switchboard::app
