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
    router.add(server::http::verb::post, path, route(&McpTransport::post));
    router.add(server::http::verb::get, path, route(&McpTransport::get));
    router.add(server::http::verb::delete_, path, route(&McpTransport::remove));
}

} // namespace switchboard::mcp
