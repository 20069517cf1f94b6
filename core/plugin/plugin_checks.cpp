#include "core/plugin/plugin_checks.hpp"

#include "core/plugin/abi_layout.hpp"
#include "core/plugin/descriptor_reader.hpp"
#include "core/plugin/text_checks.hpp"

#include <cstring>
#include <set>

namespace switchboard::plugin {

std::string version_text(sb_abi_version v) {
    return std::to_string(v.major) + "." + std::to_string(v.minor);
}

std::optional<std::string> plugin_table_string(const char* s) {
    if (s == nullptr) {
        return std::nullopt;
    }
    const std::size_t length = ::strnlen(s, 257);
    if (length == 0 || length > 256) {
        return std::nullopt;
    }
    std::string value(s, length);
    if (!is_valid_utf8(value)) {
        return std::nullopt;
    }
    return value;
}

Result<void> check_plugin_abi(sb_abi_version claimed) {
    // Another major may lay everything out differently: refused, naming both versions. A
    // newer minor of the same major loads: its structs are only longer, the host cuts what
    // it does not know, and the plugin may use only what the host's minor defines.
    if (claimed.major != kHostAbi.major) {
        return Error(ErrorKind::invalid_input, "abi_mismatch",
                     "built against ABI " + version_text(claimed) +
                         ", another major version than this host's ABI " +
                         version_text(kHostAbi) + " (rebuild the plugin against a " +
                         std::to_string(kHostAbi.major) + ".x SDK)");
    }
    return {};
}

Result<std::vector<ProviderDescriptor>> read_provider_list(const sb_provider_desc* const* list,
                                                           std::size_t count,
                                                           const ContractCatalog& catalog) {
    const auto invalid = [](std::string why) {
        return Error(ErrorKind::invalid_input, "invalid_plugin", std::move(why));
    };
    if (count == 0) {
        return invalid("get_providers returned no providers");
    }
    if (count > kMaxProvidersPerLibrary) {
        return invalid("get_providers returned " + std::to_string(count) +
                       " providers; at most " + std::to_string(kMaxProvidersPerLibrary) +
                       " are allowed");
    }
    if (list == nullptr) {
        return invalid("get_providers returned " + std::to_string(count) +
                       " providers but no array");
    }
    std::vector<ProviderDescriptor> out;
    std::set<std::string> ids;
    for (std::size_t i = 0; i < count; ++i) {
        auto descriptor = read_provider_descriptor(list[i], i, catalog);
        if (!descriptor) {
            return descriptor.error();
        }
        if (!ids.insert(descriptor->id).second) {
            return Error(ErrorKind::invalid_input, "invalid_descriptor",
                         "provider '" + descriptor->id + "' is declared twice");
        }
        out.push_back(std::move(*descriptor));
    }
    return out;
}

} // namespace switchboard::plugin
