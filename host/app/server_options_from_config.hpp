// The HTTP server's options from the config's `server` section.
#pragma once

#include "core/config/config.hpp"
#include "host/server/server_options.hpp"

namespace switchboard::app {

// Every key of the section one for one (metrics_listen and metrics_port become the metrics
// endpoint when metrics_port is set); the write timeout (not in the config) keeps the
// server's default; signals are handled.
server::ServerOptions server_options_from_config(const config::ServerConfig& config);

} // namespace switchboard::app
