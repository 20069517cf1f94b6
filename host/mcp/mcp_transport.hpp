// The Streamable HTTP transport of MCP at one endpoint, /mcp (protocol revision 2025-11-25,
// also 2025-06-18 and 2025-03-26):
//   POST    one JSON-RPC message (or, in a 2025-03-26 session, a batch). `initialize`
//           without Mcp-Session-Id opens a session (its id comes back in Mcp-Session-Id);
//           every other message needs the session: 400 without it, 404 when unknown. A
//           request is answered with application/json; a notification or a response gets 202.
//   GET     the session's event stream (text/event-stream), served as long polls.
//   DELETE  ends the session (204).
// Before anything else: an Origin that is present and not allowed is 403 (DNS rebinding);
// an MCP-Protocol-Version that is present and not supported is 400. The caller (JWT or API
// key) is authenticated by the route like every API route (401), and a session is bound to
// its tenant and user. Transport-level failures answer a JSON-RPC error without id.
#pragma once

#include "core/auth/principal.hpp"
#include "host/mcp/mcp_protocol.hpp"
#include "host/mcp/origin_policy.hpp"
#include "host/mcp/session_store.hpp"
#include "host/server/request.hpp"
#include "host/server/response.hpp"

#include <optional>
#include <variant>

namespace switchboard::mcp {

inline constexpr std::string_view mcp_path = "/mcp";
inline constexpr std::string_view session_header = "Mcp-Session-Id";
inline constexpr std::string_view protocol_version_header = "MCP-Protocol-Version";

class McpTransport {
public:
    // All outlive this object.
    McpTransport(const McpProtocol& protocol, SessionStore& sessions, const OriginPolicy& origins)
        : protocol_(protocol), sessions_(sessions), origins_(origins) {}

    server::Response post(const server::Request& request, const auth::Principal& caller) const;
    server::Response get(const server::Request& request, const auth::Principal& caller) const;
    server::Response remove(const server::Request& request, const auth::Principal& caller) const;

    // The checks every method makes first (origin, protocol version header); nullopt when
    // the request may go on.
    std::optional<server::Response> refuse(const server::Request& request) const;

private:
    server::Response post_one(const server::Request& request, const auth::Principal& caller,
                              const nlohmann::json& body) const;
    server::Response post_batch(const server::Request& request, const auth::Principal& caller,
                                const nlohmann::json& body) const;
    // The session the request names, or the 400/404 answer.
    std::variant<SessionInfo, server::Response> session_of(const server::Request& request,
                                                           const auth::Principal& caller) const;

    const McpProtocol& protocol_;
    SessionStore& sessions_;
    const OriginPolicy& origins_;
};

} // namespace switchboard::mcp
