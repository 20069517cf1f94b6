// What the host checks of the messages a plugin-host child sends, before it uses them: the
// child runs a third party's code and is untrusted, whatever it checked itself. The checks
// are the in-process loader's and host services', applied to the decoded messages
// (wire_messages.hpp), so a plugin is held to the same rules in both modes.
#pragma once

#include "core/common/error.hpp"
#include "core/plugin/call_context.hpp"
#include "core/plugin/contract_catalog.hpp"
#include "core/plugin/isolated/wire_messages.hpp"
#include "core/plugin/provider_descriptor.hpp"

#include <switchboard/descriptor.hpp>
#include <switchboard/plugin.h>

#include <string>
#include <vector>

namespace switchboard::plugin::isolated {

// What a child declared in its hello, checked exactly as the in-process loader checks a
// library: the descriptors are rebuilt as the C structs a plugin would hand over and read by
// the same read_provider_list.
struct CheckedHello {
    std::string name;
    std::string version;
    sb_abi_version abi{};
    std::vector<ProviderDescriptor> providers;
    std::vector<sdk::ProviderSpec> as_declared; // to compare a restarted child's with
    std::vector<sdk::ProviderPolicySpec> policies_as_declared; // likewise
};

// Errors as the loader's: invalid_plugin (name, version), abi_mismatch, invalid_descriptor,
// invalid_provider_policy (the policies are read into the providers by read_provider_policies).
Result<CheckedHello> check_hello(HelloMessage hello, const ContractCatalog& catalog);

// The child's `http` request as sb_host.http would receive it from an in-process plugin,
// checked by read_http_request. Errors: invalid_input / `invalid_http_request`.
Result<ProviderHttpRequest> check_child_request(const ProviderHttpRequest& from_child);

} // namespace switchboard::plugin::isolated
