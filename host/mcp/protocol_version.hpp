// The MCP protocol revisions this server speaks, and what differs between them here.
//   2025-11-25  the latest; tools with outputSchema and structuredContent, titles
//   2025-06-18  the same tool shapes; JSON-RPC batches were removed in it
//   2025-03-26  the first with the Streamable HTTP transport; batches allowed, tools without
//               outputSchema, structuredContent or title
// Negotiation (lifecycle, "Version Negotiation"): the client's version when supported, else
// the latest.
#pragma once

#include <array>
#include <optional>
#include <string_view>

namespace switchboard::mcp {

inline constexpr std::string_view latest_protocol_version = "2025-11-25";
inline constexpr std::array<std::string_view, 3> supported_protocol_versions = {
    "2025-11-25", "2025-06-18", "2025-03-26"};

bool is_supported_protocol_version(std::string_view version) noexcept;
// The version the server answers `initialize` with.
std::string_view negotiate_protocol_version(std::string_view requested) noexcept;

// Tools carry outputSchema/title and results structuredContent (2025-06-18 on).
bool has_structured_tools(std::string_view version) noexcept;
// A POST body may be a JSON-RPC batch (2025-03-26 only).
bool allows_batches(std::string_view version) noexcept;

} // namespace switchboard::mcp
