// Reading a plugin's provider policies (the "switchboard.provider-policy/1" extension,
// switchboard/ext/provider_policy.h) into the ProviderPolicy of each of its providers, checking
// every field as the descriptor reader checks a descriptor. One implementation for both modes:
// the loader applies it to the table a library returns, the isolated supervisor to the one it
// rebuilds from a plugin-host child's hello.
#pragma once

#include "core/common/error.hpp"
#include "core/plugin/provider_descriptor.hpp"

#include <switchboard/ext/provider_policy.h>

#include <cstddef>
#include <vector>

namespace switchboard::plugin {

// Limits of a policy (the header's, and the host's own caps).
inline constexpr std::size_t kMaxRateLimitHeaderRules = 16;
inline constexpr std::size_t kMaxOAuthErrorCodes = 64;
inline constexpr std::size_t kMaxCredentialHeaders = 16;

// Reads `table` (what sb_plugin.get_extension returned for SB_EXT_PROVIDER_POLICY; NULL: no
// policy, every provider keeps the generic rules) and sets the policy of each provider it
// names in `providers` (the library's checked descriptors). Checks: struct sizes; at most one
// policy per provider, each naming one of `providers`; a credential prefix of
// [A-Z][A-Z0-9_]{0,63}; at most 16 rate-limit rules, each with HTTP field names (RFC 9110
// tokens), a wait unit of 1 or 1000 ms with a wait header, waits of at most an hour, and either
// give_up or some wait; JSON member names of printable ASCII; at most 64 error codes, each a
// code token ([A-Za-z0-9_.-]{1,64}) once, with a known meaning; rate buckets with a capacity of
// 1 to 1,000,000 and a refill of more than 0 to 1,000,000 per second; at most 16 credential
// header names, each an HTTP field name. Errors: invalid_input /
// `invalid_provider_policy`, naming the provider and the field; `providers` is then unchanged.
Result<void> read_provider_policies(const sb_plugin_provider_policy* table,
                                    std::vector<ProviderDescriptor>& providers);

} // namespace switchboard::plugin
