#include "host/mcp/mcp_server.hpp"

#include "host/api/caller.hpp"

namespace switchboard::mcp {

McpServer::McpServer(McpServerParts parts, McpServerOptions options)
    : parts_(std::move(parts)), assistant_(parts_.actions),
      catalog_(parts_.connectors, parts_.contracts), runner_(parts_.actions, assistant_),
      protocol_(catalog_, runner_, McpServerInfo{"switchboard", "Switchboard", options.version}),
      sessions_(std::move(options.sessions)), origins_(std::move(options.allowed_origins)),
      transport_(protocol_, sessions_, origins_), notifier_(parts_.events, sessions_) {}

void McpServer::add_routes(server::Router& router) {
    const std::string path(mcp_path);
    auto route = [this](auto method) {
        return api::with_caller(parts_.authenticator,
                                [this, method](const server::Request& request,
                                               const auth::Principal& caller) {
                                    return (transport_.*method)(request, caller);
                                });
    };
    // Authenticated on the header, before the body is read, like every API route; a tool call
    // may carry a drive upload (base64 in JSON), so the large limit applies once admitted.
    server::RouteOptions options;
    options.gate = api::caller_gate(parts_.authenticator);
    options.body_limit = server::BodyLimit::large_after_gate;
    router.add(server::http::verb::post, path, route(&McpTransport::post), options);
    options.body_limit = server::BodyLimit::standard;
    router.add(server::http::verb::get, path, route(&McpTransport::get), options);
    router.add(server::http::verb::delete_, path, route(&McpTransport::remove), options);
}

} // namespace switchboard::mcp
