#include "host/app/http_server_entry.hpp"

#include "core/connectors/connector_events.hpp"
#include "core/connectors/notifying_connector_service.hpp"
#include "host/api/api_routes.hpp"
#include "host/app/authenticator_from_config.hpp"
#include "host/app/server_options_from_config.hpp"
#include "host/mcp/mcp_server.hpp"
#include "host/server/server.hpp"
#include "host/web/web_routes.hpp"

#include <prometheus/registry.h>
#include <spdlog/spdlog.h>

#ifndef SB_HOST_VERSION
#define SB_HOST_VERSION "0.0.0"
#endif

namespace switchboard::app {

namespace {

// Where the OAuth callback may send the browser: FRONTEND_URL (public_urls.frontend_url),
// else the API's own base URL, as the connector service does.
std::string frontend_base(const config::PublicUrlsConfig& urls) {
    std::string url = urls.frontend_url.value_or(urls.api_base_url);
    while (!url.empty() && url.back() == '/') {
        url.pop_back();
    }
    return url;
}

} // namespace

Result<void> run_http_server(Application& app, const HttpServerHooks& hooks) {
    const config::Config& config = app.config();
    config::ProcessEnvironment process_environment;
    const config::Environment& environment =
        hooks.environment != nullptr ? *hooks.environment : process_environment;

    auto authenticator = build_authenticator(config.auth, environment);
    if (!authenticator) {
        return authenticator.error();
    }

    auto metrics = std::make_shared<prometheus::Registry>();
    const RuntimeFactory factory =
        hooks.runtime_factory ? hooks.runtime_factory : default_runtime_factory();
    auto runtime = factory(config, environment, app.provider_registry(), app.connector_factory(),
                           metrics);
    if (!runtime) {
        return runtime.error();
    }
    connectors::ConnectorRuntime& services = **runtime;

    // Connects and disconnects made through this host's edges are published, so the MCP
    // server can tell its clients their tool list changed.
    connectors::ConnectorEvents connector_events;
    connectors::NotifyingConnectorService notifying(services.connectors(), connector_events);
    mcp::McpServerOptions mcp_options;
    mcp_options.allowed_origins = config.mcp.allowed_origins;
    mcp_options.sessions.idle_timeout = std::chrono::seconds(config.mcp.session_idle_timeout_seconds);
    mcp_options.sessions.max_sessions = config.mcp.max_sessions;
    mcp_options.version = SB_HOST_VERSION;
    mcp::McpServer mcp_server({notifying, services.actions(), *authenticator, app.contracts(),
                               connector_events},
                              std::move(mcp_options));

    auto options = server_options_from_config(config.server);
    options.handle_signals = hooks.handle_signals;
    // Declared after the runtime and the MCP server, so destroyed first: no handler outlives
    // the services.
    server::Server server(options, metrics);
    api::ApiContext context{notifying,
                            services.actions(),
                            *authenticator,
                            [&services] { return services.check_ready(); },
                            frontend_base(config.public_urls),
                            app.contracts(),
                            services.events()};
    context.proxy = services.proxy();
    context.proxy_max_request_bytes = config.proxy.max_request_bytes;
    api::add_api_routes(server.router(), context,
                        {"Switchboard API", SB_HOST_VERSION, config.public_urls.api_base_url});
    web::add_web_routes(server.router());
    mcp_server.add_routes(server.router());

    auto bound = server.listen();
    if (!bound) {
        services.stop();
        return bound.error();
    }
    spdlog::info("serving the REST API and the integrations page on {}:{} (public URL {})", bound->address().to_string(),
                 bound->port(), config.public_urls.api_base_url);
    services.start_background_refresh();
    if (hooks.on_listening) {
        hooks.on_listening(server);
    }
    auto served = server.run();
    services.stop();
    spdlog::info("background refresh stopped");
    return served;
}

} // namespace switchboard::app
