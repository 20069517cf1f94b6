// `switchboard serve`: the REST API on the HTTP server, with the ConnectorRuntime behind it.
#pragma once

#include "core/common/error.hpp"
#include "core/config/environment.hpp"
#include "core/connectors/connector_runtime.hpp"
#include "host/app/application.hpp"

#include <functional>
#include <memory>

namespace prometheus {
class Registry;
}

namespace switchboard::server {
class Server;
}

namespace switchboard::app {

// Builds the runtime behind the routes; production's is connectors::ConnectorRuntime::create.
using RuntimeFactory = std::function<Result<std::unique_ptr<connectors::ConnectorRuntime>>(
    const config::Config&, const config::Environment&,
    std::shared_ptr<const plugin::ProviderRegistry>,
    std::shared_ptr<const plugin::ConnectorFactory>, std::shared_ptr<prometheus::Registry>)>;

RuntimeFactory default_runtime_factory();

// Test seams; `serve` leaves them empty.
struct HttpServerHooks {
    // Where secrets come from (the process environment when null).
    const config::Environment* environment = nullptr;
    // Default: default_runtime_factory().
    RuntimeFactory runtime_factory;
    // Called once the server listens, before it serves: tests learn the port and may keep
    // the server to stop() it.
    std::function<void(server::Server&)> on_listening;
    // Stop on SIGINT/SIGTERM, reload server.tls's certificate and key on SIGHUP (tests
    // running the server in-process turn it off).
    bool handle_signals = true;
};

// Serves the REST API for `app` until SIGINT/SIGTERM (or Server::stop()), then stops the
// background refresh and returns. In order: the authenticator from `auth` (and the
// environment), the metrics registry, the ConnectorRuntime (database, encryption keys, state
// store: it refuses to start without them), the server from `server` with every route of
// host/api, listen, background refresh, serve. A failure before serving is returned, its
// message naming the config key or the variable at fault and never a secret; the caller
// logs it and exits 1.
Result<void> run_http_server(Application& app, const HttpServerHooks& hooks = {});

} // namespace switchboard::app
