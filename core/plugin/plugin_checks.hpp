// The checks the host applies to what a plugin declares about itself: its name and version,
// its ABI version, and its list of provider descriptors. One implementation for both ways a
// plugin runs: PluginLoader applies them to a library it loads, IsolatedPlugin to what a
// plugin-host child reports (which it rebuilds as the same C structs first).
#pragma once

#include "core/common/error.hpp"
#include "core/plugin/contract_catalog.hpp"
#include "core/plugin/provider_descriptor.hpp"

#include <switchboard/plugin.h>

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace switchboard::plugin {

// At most this many providers per library.
inline constexpr std::size_t kMaxProvidersPerLibrary = 64;

// "1.0" for {1, 0}.
std::string version_text(sb_abi_version version);

// A required sb_plugin string (name, version): present, 1 to 256 bytes, UTF-8.
std::optional<std::string> plugin_table_string(const char* text);

// Error (invalid_input, `abi_mismatch`) for a plugin of another major than the host's,
// naming both versions; ok for any minor of the host's major (plugin.h, "Compatibility").
Result<void> check_plugin_abi(sb_abi_version claimed);

// The `count` descriptors of `list` (get_providers' answer), each read and checked by
// read_provider_descriptor, none twice. Errors: invalid_input / `invalid_plugin` (none, too
// many, no array), `invalid_descriptor` (the first bad one, or a repeated id).
Result<std::vector<ProviderDescriptor>> read_provider_list(const sb_provider_desc* const* list,
                                                           std::size_t count,
                                                           const ContractCatalog& catalog);

} // namespace switchboard::plugin
