#include "host/mcp/protocol_version.hpp"

#include <algorithm>

namespace switchboard::mcp {

bool is_supported_protocol_version(std::string_view version) noexcept {
    return std::find(supported_protocol_versions.begin(), supported_protocol_versions.end(),
                     version) != supported_protocol_versions.end();
}

std::string_view negotiate_protocol_version(std::string_view requested) noexcept {
    for (auto version : supported_protocol_versions) {
        if (version == requested) return version;
    }
    return latest_protocol_version;
}

bool has_structured_tools(std::string_view version) noexcept {
    return version != "2025-03-26";
}

bool allows_batches(std::string_view version) noexcept {
    return version == "2025-03-26";
}

} // namespace switchboard::mcp
